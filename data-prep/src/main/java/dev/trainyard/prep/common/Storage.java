package dev.trainyard.prep.common;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * Files on any Hadoop file system: local paths, hdfs:// and object stores (s3a://) alike. Writes
 * are all-or-nothing on each: a local or HDFS file is written under a temporary name and renamed
 * over the target; an object store has no atomic rename, but an object appears only when its
 * upload completes, so there the target is written directly.
 */
public final class Storage {
    /** Schemes of object stores: no atomic rename, whole-object writes. */
    private static final java.util.Set<String> OBJECT_STORES = java.util.Set.of("s3a", "s3", "s3n", "gs", "abfs", "abfss", "wasb", "wasbs",
            "oss", "cosn", "obs");
    private final Configuration conf;

    public Storage(Configuration conf) {
        this.conf = conf;
    }

    /** Storage for local paths (and any file system reachable with Hadoop's default settings). */
    public static Storage local() {
        return new Storage(new Configuration());
    }

    /** Writes a file's bytes to a stream; the stream is closed by the caller. */
    public interface StreamWriter {
        void write(java.io.OutputStream out) throws IOException;
    }

    /** Whether {@code path} is on an object store (s3a:// and the like), where renames copy. */
    public static boolean isObjectStore(String path) {
        String scheme = new Path(path).toUri().getScheme();
        return scheme != null && OBJECT_STORES.contains(scheme.toLowerCase(java.util.Locale.ROOT));
    }

    private static boolean isLocal(String path) {
        String scheme = new Path(path).toUri().getScheme();
        return scheme == null || scheme.equals("file");
    }

    /** The file system of a path; for local paths the raw one, so no .crc sidecars guard files people may edit. */
    public FileSystem fs(String path) {
        try {
            FileSystem fs = new Path(path).getFileSystem(conf);
            return fs instanceof org.apache.hadoop.fs.LocalFileSystem local ? local.getRaw() : fs;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot reach the file system of " + path, e);
        }
    }

    public boolean exists(String path) {
        try {
            return fs(path).exists(new Path(path));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The file's status, or a clear error naming it when it is missing or a directory. */
    public FileStatus requireFile(String path) {
        try {
            Path p = new Path(path);
            FileSystem fs = fs(path);
            if (!fs.exists(p)) {
                throw new IllegalArgumentException("input file not found: " + path);
            }
            FileStatus st = fs.getFileStatus(p);
            if (st.isDirectory()) {
                throw new IllegalArgumentException("input is a directory, expected a file: " + path);
            }
            try (InputStream in = fs.open(p)) {
                in.read();
            } catch (IOException e) {
                throw new IllegalArgumentException("input file is not readable: " + path + " (" + e.getMessage() + ")", e);
            }
            return st;
        } catch (IOException e) {
            throw new IllegalArgumentException("input file is not readable: " + path + " (" + e.getMessage() + ")", e);
        }
    }

    /**
     * For a file named *.gz: checks it is a whole gzip stream (the magic bytes, then decompressed to
     * its end), so a mislabelled or truncated file is one clear error instead of a failed Spark task.
     */
    public void requireWholeGzip(String path) {
        if (!path.endsWith(".gz")) {
            return;
        }
        try (InputStream raw = fs(path).open(new Path(path))) {
            java.io.BufferedInputStream in = new java.io.BufferedInputStream(raw);
            in.mark(2);
            if (in.read() != 0x1f || in.read() != 0x8b) {
                throw new IllegalArgumentException(path + " is named .gz but is not gzip-compressed; rename it or compress it");
            }
            in.reset();
            try (InputStream gz = new java.util.zip.GZIPInputStream(in, 1 << 16)) {
                gz.transferTo(java.io.OutputStream.nullOutputStream());
            }
        } catch (java.io.EOFException e) {
            throw new IllegalArgumentException(path + " is a truncated gzip file (it ends before its compressed data does)", e);
        } catch (IOException e) {
            throw new IllegalArgumentException(path + " is not a valid gzip file: " + e.getMessage(), e);
        }
    }

    /** A job's output must not exist, unless the user asked to replace it. */
    public void prepareOutput(String output, boolean overwrite) {
        if (exists(output)) {
            if (!overwrite) {
                throw new IllegalArgumentException("output " + output + " already exists; pass --overwrite to replace it");
            }
            delete(output);
        }
    }

    public void delete(String path) {
        try {
            fs(path).delete(new Path(path), true);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes a text file all-or-nothing, so readers never see half of it. */
    public void writeText(String path, String text) {
        try {
            writeAtomically(path, out -> out.write(text.getBytes(StandardCharsets.UTF_8)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + path, e);
        }
    }

    /**
     * Writes a file so that a reader (or a process killed at any moment) sees the old content or
     * the new, never part of it. Local: a synced temporary file moved over the target atomically.
     * HDFS and other file systems: a temporary file renamed over the target. Object stores: the
     * target itself, which appears only once its upload completes.
     */
    public void writeAtomically(String path, StreamWriter writer) throws IOException {
        if (isLocal(path)) {
            java.nio.file.Path target = localPath(path);
            java.nio.file.Files.createDirectories(target.toAbsolutePath().getParent());
            java.nio.file.Path tmp = target.resolveSibling("." + target.getFileName() + ".tmp");
            try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(tmp, java.nio.file.StandardOpenOption.CREATE,
                    java.nio.file.StandardOpenOption.TRUNCATE_EXISTING, java.nio.file.StandardOpenOption.WRITE)) {
                java.io.OutputStream out = new java.io.BufferedOutputStream(java.nio.channels.Channels.newOutputStream(ch), 1 << 16);
                writer.write(out);
                out.flush();
                ch.force(true);
            }
            try {
                java.nio.file.Files.move(tmp, target, java.nio.file.StandardCopyOption.ATOMIC_MOVE,
                        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            } catch (java.nio.file.AtomicMoveNotSupportedException e) {
                java.nio.file.Files.move(tmp, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
            return;
        }
        Path target = new Path(path);
        FileSystem fs = fs(path);
        if (isObjectStore(path)) {
            try (FSDataOutputStream out = fs.create(target, true)) {
                writer.write(out);
            }
            return;
        }
        Path tmp = new Path(target.getParent(), "." + target.getName() + ".tmp");
        try (FSDataOutputStream out = fs.create(tmp, true)) {
            writer.write(out);
            out.hsync();
        }
        org.apache.hadoop.fs.FileContext.getFileContext(target.toUri(), conf).rename(tmp, target, org.apache.hadoop.fs.Options.Rename.OVERWRITE);
    }

    /** A local path string (plain or file:) as a java.nio path. */
    public static java.nio.file.Path localPath(String path) {
        return java.nio.file.Path.of(new Path(path).toUri().getPath());
    }

    public InputStream open(String path) throws IOException {
        return fs(path).open(new Path(path));
    }

    /**
     * Runs {@code reader} on a local copy of a file: the file itself when it is local, else a
     * temporary copy (for readers such as zip files that need random access), deleted afterwards.
     */
    public <T> T withLocalFile(String path, java.util.function.Function<java.nio.file.Path, T> reader) {
        if (isLocal(path)) {
            return reader.apply(localPath(path));
        }
        java.nio.file.Path tmp = null;
        try {
            tmp = java.nio.file.Files.createTempFile("trainyard-", "-" + new Path(path).getName());
            try (InputStream in = open(path)) {
                java.nio.file.Files.copy(in, tmp, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
            return reader.apply(tmp);
        } catch (java.io.FileNotFoundException e) {
            throw new IllegalArgumentException("file not found: " + path, e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + path, e);
        } finally {
            if (tmp != null) {
                tmp.toFile().delete();
            }
        }
    }

    /** Names of the entries directly inside {@code dir}; none when it does not exist. */
    public java.util.List<String> list(String dir) {
        return java.util.Arrays.stream(statuses(dir)).map(st -> st.getPath().getName()).toList();
    }

    /** Names of the folders directly inside {@code dir}; none when it does not exist. */
    public java.util.List<String> listDirs(String dir) {
        return java.util.Arrays.stream(statuses(dir)).filter(FileStatus::isDirectory).map(st -> st.getPath().getName()).toList();
    }

    private FileStatus[] statuses(String dir) {
        try {
            Path p = new Path(dir);
            FileSystem fs = fs(dir);
            return fs.exists(p) ? fs.listStatus(p) : new FileStatus[0];
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
    }

    /** A path without its trailing slash, so that {@code path + "/" + name} names one file. */
    public static String stripSlash(String path) {
        return path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    }

    public long size(String path) throws IOException {
        return fs(path).getFileStatus(new Path(path)).getLen();
    }

    public String readText(String path) {
        try (InputStream in = open(path)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + path, e);
        }
    }
}
