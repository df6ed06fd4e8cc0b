package app.regulars.platform;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Tells UTF-8 from GBK text. Excel in China saves CSV as GBK (GB18030 is its superset, so we decode
 * with that); everything else we meet is UTF-8, with or without a byte order mark. Imports and the tag
 * upload read files with it.
 */
public final class TextEncoding {

    public static final Charset GB18030 = Charset.forName("GB18030");
    public static final int SAMPLE = 64 * 1024;

    private TextEncoding() {}

    /** The charset of a text file judged by its first bytes, or empty when it is neither. */
    public static Optional<Charset> detect(byte[] head, int length, boolean wholeFile) {
        for (int i = 0; i < length; i++) {
            if (head[i] == 0) {
                return Optional.empty(); // binary, or UTF-16: not something we read
            }
        }
        if (decodes(StandardCharsets.UTF_8, head, length, wholeFile)) {
            return Optional.of(StandardCharsets.UTF_8);
        }
        if (decodes(GB18030, head, length, wholeFile)) {
            return Optional.of(GB18030);
        }
        return Optional.empty();
    }

    public static boolean hasUtf8Bom(byte[] head, int length) {
        return length >= 3 && (head[0] & 0xff) == 0xEF && (head[1] & 0xff) == 0xBB && (head[2] & 0xff) == 0xBF;
    }

    /**
     * Strict decoding; when the sample is cut from a longer file, a multi-byte character split at
     * its end is not held against it.
     */
    private static boolean decodes(Charset charset, byte[] bytes, int length, boolean wholeFile) {
        CharsetDecoder decoder = charset.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes, 0, length);
        CharBuffer out = CharBuffer.allocate(length + 16);
        CoderResult result = decoder.decode(in, out, wholeFile);
        if (result.isError()) {
            return false;
        }
        if (wholeFile) {
            try {
                return !decoder.flush(out).isError() && !in.hasRemaining();
            } catch (IllegalStateException e) {
                return false;
            }
        }
        return in.remaining() < 4;
    }

    /** A whole file's text, UTF-8 (a byte order mark dropped) or GBK; empty when it is neither. */
    public static Optional<String> decode(byte[] file) {
        for (Charset charset : new Charset[] {StandardCharsets.UTF_8, GB18030}) {
            try {
                String text = decodeStrict(charset, file);
                return Optional.of(text.startsWith("\uFEFF") ? text.substring(1) : text);
            } catch (CharacterCodingException e) {
                // not this one
            }
        }
        return Optional.empty();
    }

    public static String decodeStrict(Charset charset, byte[] bytes) throws CharacterCodingException {
        return charset.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
    }
}
