package org.l3wb.lab.shell;

import java.lang.reflect.Proxy;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.Map;

/**
 * {@link WorkbenchConfig} instances as Declarative Services makes them from configuration properties:
 * element {@code switches_off} reads property {@code switches.off}, an absent property gives the
 * element's default.
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
                            return value != null ? value : method.getDefaultValue();
                    }
                });
    }
}
