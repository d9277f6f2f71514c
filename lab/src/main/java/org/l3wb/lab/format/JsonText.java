package org.l3wb.lab.format;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.PrettyPrinter;

/**
 * JSON text written through jackson-core's streaming {@link JsonGenerator}, laid out as lab's files have
 * always been: each container says whether its entries go on lines of their own ({@link Layout}), the
 * rest is inline with {@code ", "} and {@code ": "}. Jackson does the quoting and escaping; numbers keep
 * lab's format ({@link #value(Object)}).
 *
 * <pre>
 * JsonText j = new JsonText();
 * j.startObject(JsonText.Layout.LINES);
 * j.name("hash").value("ab12");
 * j.name("rows").startArray(JsonText.Layout.INLINE).value(1).value(2.5).end();
 * j.end();
 * String s = j.text(); // {\n  "hash": "ab12",\n  "rows": [1, 2.5]\n}
 * </pre>
 */
public final class JsonText {
    private static final JsonFactory FACTORY = JsonFactory.builder()
            .disable(com.fasterxml.jackson.core.StreamWriteFeature.AUTO_CLOSE_TARGET).build();

    /** Where a container's entries go. */
    public enum Layout {
        /** {@code [a, b]} */
        INLINE(false, false, false, false),
        /** each entry on a line of its own, indented one level deeper than the container */
        LINES(true, true, true, true),
        /** each entry on a line of its own, not indented (lab:trace's arrays) */
        FLAT(true, true, true, false),
        /** first entry inline, each later one on a line of its own, not indented (Chrome's trace object) */
        FLAT_AFTER_FIRST(false, true, false, false);

        final boolean first;
        final boolean separators;
        final boolean last;
        final boolean deeper;

        Layout(boolean first, boolean separators, boolean last, boolean deeper) {
            this.first = first;
            this.separators = separators;
            this.last = last;
            this.deeper = deeper;
        }
    }

    private final StringWriter out = new StringWriter();
    private final Printer printer = new Printer();
    private final JsonGenerator gen;

    public JsonText() {
        try {
            gen = FACTORY.createGenerator(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        gen.setPrettyPrinter(printer);
    }

    public JsonText startObject(Layout layout) {
        printer.next = layout;
        return io(gen::writeStartObject);
    }

    public JsonText startArray(Layout layout) {
        printer.next = layout;
        return io(gen::writeStartArray);
    }

    /** Ends the innermost open object or array. */
    public JsonText end() {
        return io(() -> {
            if (gen.getOutputContext().inArray()) {
                gen.writeEndArray();
            } else {
                gen.writeEndObject();
            }
        });
    }

    public JsonText name(String name) {
        return io(() -> gen.writeFieldName(name));
    }

    /** Puts the next entry of the current container on a line of its own, whatever its layout. */
    public JsonText breakBeforeNext() {
        printer.breakNext = true;
        return this;
    }

    /**
     * Writes {@code value}: {@code null}; a double or float in lab's number format ({@link #number(double)},
     * {@code null} when not finite); other numbers and booleans as they print; a list as an inline array;
     * anything else as a string.
     */
    public JsonText value(Object value) {
        return io(() -> {
            if (value == null) {
                gen.writeNull();
            } else if (value instanceof Double || value instanceof Float) {
                double d = ((Number) value).doubleValue();
                if (Double.isFinite(d)) {
                    gen.writeNumber(number(d));
                } else {
                    gen.writeNull();
                }
            } else if (value instanceof Number) {
                gen.writeNumber(value.toString());
            } else if (value instanceof Boolean b) {
                gen.writeBoolean(b);
            } else if (value instanceof List<?> list) {
                startArray(Layout.INLINE);
                for (Object v : list) {
                    value(v);
                }
                end();
            } else {
                gen.writeString(value.toString());
            }
        });
    }

    /** Writes an already formatted number (digits, sign, point) as it is. */
    public JsonText number(String digits) {
        return io(() -> gen.writeNumber(digits));
    }

    /** @return the text written so far (all containers should be closed) */
    public String text() {
        io(gen::flush);
        return out.toString();
    }

    /**
     * Lab's number format: a whole number without a point, anything else with at most three decimals,
     * trailing zeros dropped ({@code 2.5}, {@code 0.333}).
     */
    public static String number(double d) {
        if (d == Math.rint(d) && Math.abs(d) < 1e15) {
            return Long.toString((long) d);
        }
        String s = String.format(java.util.Locale.ROOT, "%.3f", d).replaceAll("0+$", "");
        // 1.9999 rounds to "2.000": no bare point (not a JSON number)
        return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
    }

    private interface Io {
        void run() throws IOException;
    }

    private JsonText io(Io step) {
        try {
            step.run();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    /** Jackson's hook for whitespace: a stack of the open containers' layouts. */
    private static final class Printer implements PrettyPrinter {
        private final Deque<Layout> open = new ArrayDeque<>();
        private Layout next = Layout.INLINE;
        private boolean breakNext;

        private int depth() {
            int d = 0;
            for (Layout l : open) {
                d += l.deeper ? 1 : 0;
            }
            return d;
        }

        private void line(JsonGenerator g, int depth) throws IOException {
            g.writeRaw("\n" + "  ".repeat(depth));
        }

        private void start(JsonGenerator g, char bracket) throws IOException {
            open.push(next);
            next = Layout.INLINE;
            g.writeRaw(bracket);
        }

        private void first(JsonGenerator g) throws IOException {
            if (open.peek().first || breakNext) {
                line(g, depth());
            }
            breakNext = false;
        }

        private void separator(JsonGenerator g) throws IOException {
            g.writeRaw(',');
            if (open.peek().separators || breakNext) {
                line(g, depth());
            } else {
                g.writeRaw(' ');
            }
            breakNext = false;
        }

        private void end(JsonGenerator g, int entries, char bracket) throws IOException {
            Layout l = open.pop();
            if (l.last && entries > 0) {
                line(g, depth());
            }
            g.writeRaw(bracket);
        }

        @Override
        public void writeRootValueSeparator(JsonGenerator g) throws IOException {
            g.writeRaw('\n');
        }

        @Override
        public void writeStartObject(JsonGenerator g) throws IOException {
            start(g, '{');
        }

        @Override
        public void writeEndObject(JsonGenerator g, int entries) throws IOException {
            end(g, entries, '}');
        }

        @Override
        public void writeObjectEntrySeparator(JsonGenerator g) throws IOException {
            separator(g);
        }

        @Override
        public void writeObjectFieldValueSeparator(JsonGenerator g) throws IOException {
            g.writeRaw(": ");
        }

        @Override
        public void writeStartArray(JsonGenerator g) throws IOException {
            start(g, '[');
        }

        @Override
        public void writeEndArray(JsonGenerator g, int entries) throws IOException {
            end(g, entries, ']');
        }

        @Override
        public void writeArrayValueSeparator(JsonGenerator g) throws IOException {
            separator(g);
        }

        @Override
        public void beforeArrayValues(JsonGenerator g) throws IOException {
            first(g);
        }

        @Override
        public void beforeObjectEntries(JsonGenerator g) throws IOException {
            first(g);
        }
    }
}
