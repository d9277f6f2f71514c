package org.l3wb.lab.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.l3wb.lab.format.JsonTree;

/** JSON for lab's tests: {@link JsonTree} (jackson-core), with every number as a double. */
public final class Json {
    private Json() {
    }

    /** @return the value; fails on anything that is not exactly one JSON value */
    public static Object parse(String text) {
        return doubles(JsonTree.read(text));
    }

    private static Object doubles(Object v) {
        if (v instanceof Number n) {
            return n.doubleValue();
        }
        if (v instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            m.forEach((k, x) -> out.put((String) k, doubles(x)));
            return out;
        }
        if (v instanceof List<?> l) {
            List<Object> out = new ArrayList<>();
            l.forEach(x -> out.add(doubles(x)));
            return out;
        }
        return v;
    }
}
