package org.l3wb.hw.cpu486;

import java.lang.reflect.Proxy;

import org.l3wb.hw.api.ProcessorModel;

/**
 * The i486 models with their documented default configuration, outside a framework: for unit tests,
 * benchmarks and embedding. In the workbench, Declarative Services builds them from Config Admin.
 */
public final class StandardModels {
    private StandardModels() {
    }

    /** @return the paper's machine, an i486 DX-50 with its board's defaults */
    public static ProcessorModel i486dx50() {
        I486Dx50 m = new I486Dx50();
        m.configure(defaults(50));
        return m;
    }

    /** @return the same core and board at 33 MHz */
    public static ProcessorModel i486dx33() {
        I486Dx33 m = new I486Dx33();
        m.configure(defaults(33));
        return m;
    }

    /** @return section 7.4's hypothetical DX-50: no segment system, tagged TLB with global pages */
    public static ProcessorModel h486dx50() {
        H486Dx50 m = new H486Dx50();
        m.configure(defaults(50));
        return m;
    }

    /** @return the configuration annotation's defaults, with the given clock */
    static I486Config defaults(int clockMHz) {
        return (I486Config) Proxy.newProxyInstance(I486Config.class.getClassLoader(),
                new Class<?>[] {I486Config.class}, (proxy, method, args) -> {
                    if (method.getName().equals("clockMHz")) {
                        return clockMHz;
                    }
                    if (method.getDefaultValue() != null) {
                        return method.getDefaultValue();
                    }
                    return switch (method.getName()) {
                        case "annotationType" -> I486Config.class;
                        case "toString" -> "I486Config(clockMHz=" + clockMHz + ")";
                        case "hashCode" -> System.identityHashCode(proxy);
                        case "equals" -> proxy == args[0];
                        default -> throw new UnsupportedOperationException(method.getName());
                    };
                });
    }
}
