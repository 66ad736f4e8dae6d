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

/** Small files (metadata, summaries) on any Hadoop file system: local paths and hdfs:// alike. */
public final class Storage {
    private final Configuration conf;

    public Storage(Configuration conf) {
        this.conf = conf;
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

    /** Writes a text file through a temporary name and a rename, so readers never see half of it. */
    public void writeText(String path, String text) {
        Path target = new Path(path);
        Path tmp = new Path(target.getParent(), "." + target.getName() + ".tmp");
        try {
            FileSystem fs = fs(path);
            try (FSDataOutputStream out = fs.create(tmp, true)) {
                out.write(text.getBytes(StandardCharsets.UTF_8));
            }
            fs.delete(target, false);
            if (!fs.rename(tmp, target)) {
                throw new IOException("rename " + tmp + " -> " + target + " failed");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + path, e);
        }
    }

    public String readText(String path) {
        try (InputStream in = fs(path).open(new Path(path))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + path, e);
        }
    }
}
