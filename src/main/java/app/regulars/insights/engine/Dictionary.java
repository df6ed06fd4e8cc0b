package app.regulars.insights.engine;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Small texts (store codes, channels, categories, cities, …) as dense int codes from 1; 0 means "no
 * value". Look-ups by UTF-8 bytes allocate nothing, so the bulk load codes millions of rows without
 * making a String per row.
 */
final class Dictionary {

    private final List<String> texts = new ArrayList<>();
    private final List<byte[]> bytes = new ArrayList<>();
    private int[] table = new int[64]; // code at slot, 0 = empty
    private final int limit;

    Dictionary(int limit) {
        this.limit = limit;
        texts.add(null);
        bytes.add(null);
    }

    /** How many codes are in use (the highest code). */
    int size() {
        return texts.size() - 1;
    }

    String text(int code) {
        return code <= 0 || code >= texts.size() ? null : texts.get(code);
    }

    /** The code of a text, or -1 when it has none (a literal nobody has: it matches no one). */
    int find(String text) {
        if (text == null) {
            return -1;
        }
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        int code = table[slot(b, 0, b.length)];
        return code == 0 ? -1 : code;
    }

    /** The code of a text, adding it when new; null gives 0. */
    int code(String text) {
        if (text == null) {
            return 0;
        }
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        return code(b, 0, b.length);
    }

    int code(byte[] buf, int off, int len) {
        int slot = slot(buf, off, len);
        int code = table[slot];
        if (code != 0) {
            return code;
        }
        if (size() >= limit) {
            throw new IllegalStateException("more than " + limit + " distinct values of one dimension");
        }
        byte[] b = Arrays.copyOfRange(buf, off, off + len);
        texts.add(new String(b, StandardCharsets.UTF_8));
        bytes.add(b);
        code = texts.size() - 1;
        table[slot] = code;
        if (texts.size() * 2 > table.length) {
            rehash();
        }
        return code;
    }

    private int slot(byte[] buf, int off, int len) {
        int mask = table.length - 1;
        int i = hash(buf, off, len) & mask;
        while (true) {
            int code = table[i];
            if (code == 0 || Arrays.equals(bytes.get(code), 0, bytes.get(code).length, buf, off, off + len)) {
                return i;
            }
            i = (i + 1) & mask;
        }
    }

    private void rehash() {
        table = new int[table.length * 2];
        for (int code = 1; code < bytes.size(); code++) {
            byte[] b = bytes.get(code);
            table[slot(b, 0, b.length)] = code;
        }
    }

    private static int hash(byte[] buf, int off, int len) {
        int h = 0x811C9DC5;
        for (int i = off; i < off + len; i++) {
            h = (h ^ buf[i]) * 0x01000193;
        }
        return h ^ (h >>> 16);
    }
}
