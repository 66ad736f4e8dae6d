package dev.trainyard.prep.video;

import dev.trainyard.prep.testing.SharedData;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.Frame;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * webm (VP8), mkv (MPEG-4) and animated GIF: made here from 40 frames of a real clip with the
 * same FFmpeg libraries (no ffmpeg CLI needed), then decoded by Trainyard's decoder.
 */
class OtherContainersTest {
    @TempDir
    Path tmp;

    @ParameterizedTest
    @CsvSource({"webm,webm,VP8", "mkv,matroska,MPEG4", "gif,gif,GIF"})
    void transcodedClipsDecodeWithTheirFrameCount(String ext, String format, String codec) throws Exception {
        String src = SharedData.require("video/clips/mmaction2/demo.mp4").toString();
        Path out = tmp.resolve("clip." + ext);
        int frames = 40;
        try (FFmpegFrameGrabber g = new FFmpegFrameGrabber(src)) {
            g.start();
            try (FFmpegFrameRecorder r = new FFmpegFrameRecorder(out.toFile(), g.getImageWidth(), g.getImageHeight(), 0)) {
                r.setFormat(format);
                r.setFrameRate(25);
                switch (codec) {
                    case "VP8" -> {
                        r.setVideoCodec(avcodec.AV_CODEC_ID_VP8);
                        r.setPixelFormat(avutil.AV_PIX_FMT_YUV420P);
                    }
                    case "MPEG4" -> {
                        r.setVideoCodec(avcodec.AV_CODEC_ID_MPEG4);
                        r.setPixelFormat(avutil.AV_PIX_FMT_YUV420P);
                    }
                    default -> {
                        r.setVideoCodec(avcodec.AV_CODEC_ID_GIF);
                        r.setPixelFormat(avutil.AV_PIX_FMT_RGB8);
                    }
                }
                r.start();
                for (int i = 0; i < frames; i++) {
                    Frame f = g.grabImage();
                    r.record(f);
                }
            }
        }
        Set<Integer> all = IntStream.range(0, frames + 10).boxed().collect(Collectors.toSet());
        DecodedClipSource d = VideoDecoder.decode(out.toString(), all, new FrameGeometry(64, 56, 56));
        assertEquals(frames, d.sourceFrames(), ext);
        assertEquals(340, d.sourceWidth());
    }
}
