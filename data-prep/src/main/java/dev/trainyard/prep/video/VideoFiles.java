package dev.trainyard.prep.video;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;

/**
 * Videos for FFmpeg, which reads local files: a local path (or {@code file:} URI) is used as is;
 * a video on any other Hadoop file system (hdfs://, s3a://, ...) is copied to a local temporary
 * file on the executor first (Kinetics clips are a few MB) and deleted after decoding.
 */
final class VideoFiles {
    private VideoFiles() {
    }

    static boolean isLocal(String path) {
        String scheme = URI.create(path.replace(" ", "%20")).getScheme();
        return scheme == null || scheme.equals("file");
    }

    static String localPath(String path) {
        return path.startsWith("file:") ? new File(URI.create(path.replace(" ", "%20"))).getPath() : path;
    }

    static boolean exists(String path) {
        if (isLocal(path)) {
            return new File(localPath(path)).exists();
        }
        try {
            Path p = new Path(path);
            return p.getFileSystem(new Configuration()).exists(p);
        } catch (IOException e) {
            return false;
        }
    }

    /** A local file holding the video; {@link Local#close()} removes it when it was a copy. */
    static Local open(String path) throws VideoDecodeException {
        if (isLocal(path)) {
            return new Local(localPath(path), false);
        }
        try {
            Path p = new Path(path);
            FileSystem fs = p.getFileSystem(new Configuration());
            String name = p.getName();
            java.nio.file.Path tmp = Files.createTempFile("trainyard-video-", name.contains(".") ? name.substring(name.lastIndexOf('.')) : "");
            try (InputStream in = fs.open(p)) {
                Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
            }
            return new Local(tmp.toString(), true);
        } catch (IOException e) {
            throw new VideoDecodeException(VideoReject.UNREADABLE, "cannot copy " + path + " from its file system: " + e.getMessage(), e);
        }
    }

    record Local(String path, boolean temporary) implements AutoCloseable {
        @Override
        public void close() {
            if (temporary) {
                try {
                    Files.deleteIfExists(java.nio.file.Path.of(path));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
    }
}
