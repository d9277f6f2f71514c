package org.l3wb.lab.shell;

import java.lang.reflect.Proxy;
import java.util.Collection;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.Map;

/**
 * {@link WorkbenchConfig} instances as Declarative Services makes them from configuration properties:
 * element {@code switches_off} reads property {@code switches.off}, an absent property gives the
 * element's default, one String or a collection for a String array element is converted to one.
 */
final class WorkbenchConfigs {
    private WorkbenchConfigs() {
    }

    static WorkbenchConfig defaults() {
        return of(new Hashtable<String, Object>());
    }

    static WorkbenchConfig ofMap(Map<String, ?> properties) {
        return of(new Hashtable<String, Object>(properties));
    }

    static WorkbenchConfig of(Dictionary<String, ?> properties) {
        Hashtable<String, Object> copy = new Hashtable<>();
        for (var keys = properties.keys(); keys.hasMoreElements();) {
            String key = keys.nextElement();
            copy.put(key, properties.get(key));
        }
        return (WorkbenchConfig) Proxy.newProxyInstance(WorkbenchConfig.class.getClassLoader(),
                new Class<?>[] {WorkbenchConfig.class}, (proxy, method, args) -> {
                    switch (method.getName()) {
                        case "annotationType":
                            return WorkbenchConfig.class;
                        case "toString":
                            return "WorkbenchConfig" + copy;
                        case "hashCode":
                            return copy.hashCode();
                        case "equals":
                            return proxy == args[0];
                        default:
                            Object value = copy.get(method.getName().replace('_', '.'));
                            if (value == null) {
                                return method.getDefaultValue();
                            }
                            // DS converts a single value for an array element (a .cfg's plain string)
                            // and a collection to an array
                            if (method.getReturnType() == String[].class && value instanceof String one) {
                                return new String[] {one};
                            }
                            if (method.getReturnType() == String[].class && value instanceof Collection<?> c) {
                                return c.stream().map(String::valueOf).toArray(String[]::new);
                            }
                            return value;
                    }
                });
    }
}
