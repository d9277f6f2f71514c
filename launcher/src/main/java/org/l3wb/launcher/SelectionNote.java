package org.l3wb.launcher;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.StringJoiner;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.metatype.AttributeDefinition;
import org.osgi.service.metatype.MetaTypeInformation;
import org.osgi.service.metatype.MetaTypeService;
import org.osgi.service.metatype.ObjectClassDefinition;

/**
 * Which stored selections differ from their defaults, the paper's configuration (issue 14, item 3):
 * after the README's tour ({@code ipc:use ports}, {@code ipc:switches direct=off}) {@code lab:table2}
 * printed other figures than the paper's with no hint why.
 * <p>
 * The defaults are not repeated here: they are what the configuration's Metatype description declares
 * ({@code lab}'s {@code WorkbenchConfig}: {@code processor=i486dx50}, {@code mechanism=l3},
 * {@code scheduler=lazy}, no switch off). Every stored configuration that has a Metatype description is
 * compared, attribute by attribute; a property that is absent reads as its default, properties the
 * description does not declare (DS reference targets) are not compared. So a plugin's own described
 * configuration takes part as well.
 * <p>
 * Usage: {@code SelectionNote.differences(context)}; batch mode prints {@link #line} on stderr after a
 * successful run, the shell shows {@link #prompt} and the banner {@link #line}.
 */
final class SelectionNote {

    private SelectionNote() {
    }

    /** One attribute that differs: its id, the stored value and the default, each as words. */
    record Difference(String attribute, List<String> value, List<String> fallback) {
        String shown() {
            return attribute + "=" + words(value);
        }
    }

    /** @return the one stderr line naming what differs and how to reset, or null when nothing differs */
    static String line(List<Difference> differences) {
        if (differences.isEmpty()) {
            return null;
        }
        StringJoiner j = new StringJoiner(", ");
        for (Difference d : differences) {
            j.add(d.shown() + " (paper: " + words(d.fallback()) + ")");
        }
        return "note: selections differ from the paper's configuration: " + j
                + "; wb:reset returns to it";
    }

    /** @return the shell's prompt: {@code wb> }, or with what differs, {@code wb mechanism=ports> } */
    static String prompt(List<Difference> differences) {
        StringBuilder sb = new StringBuilder("wb");
        for (Difference d : differences) {
            // the shell expands the prompt (Gogo's $ and quotes, jline's %): keep to plain characters
            sb.append(' ').append(d.shown().replaceAll("[^\\p{Alnum}=.,_+-]", "_"));
        }
        return sb.append("> ").toString();
    }

    private static String words(List<String> values) {
        return values.isEmpty() ? "none" : String.join(",", values);
    }

    /**
     * @return the attributes of stored, Metatype-described configurations that differ from their
     * defaults, in configuration and attribute order; empty when Config Admin or Metatype is missing
     */
    static List<Difference> differences(BundleContext context) {
        List<Difference> differences = new ArrayList<>();
        ServiceReference<ConfigurationAdmin> caRef = context.getServiceReference(ConfigurationAdmin.class);
        ServiceReference<MetaTypeService> mtRef = context.getServiceReference(MetaTypeService.class);
        if (caRef == null || mtRef == null) {
            return differences;
        }
        ConfigurationAdmin ca = context.getService(caRef);
        MetaTypeService metatype = context.getService(mtRef);
        try {
            Configuration[] configurations = ca == null ? null : ca.listConfigurations(null);
            if (configurations == null || metatype == null) {
                return differences;
            }
            Arrays.sort(configurations, (a, b) -> a.getPid().compareTo(b.getPid()));
            for (Configuration c : configurations) {
                ObjectClassDefinition ocd = c.getFactoryPid() == null ? describe(context, metatype, c.getPid()) : null;
                if (ocd != null && c.getProperties() != null) {
                    differences.addAll(compare(ocd.getAttributeDefinitions(ObjectClassDefinition.ALL),
                            c.getProperties()::get));
                }
            }
        } catch (IOException | InvalidSyntaxException | IllegalStateException unreadable) {
            // a damaged or vanished store is reported elsewhere (SelectionStore.problem)
        } finally {
            context.ungetService(caRef);
            context.ungetService(mtRef);
        }
        return differences;
    }

    /** Compares stored values (by attribute id; null when absent) with the attributes' defaults. */
    static List<Difference> compare(AttributeDefinition[] attributes, java.util.function.Function<String, Object> stored) {
        List<Difference> differences = new ArrayList<>();
        for (AttributeDefinition ad : attributes == null ? new AttributeDefinition[0] : attributes) {
            Object value = stored.apply(ad.getID());
            if (value == null) {
                continue; // absent reads as the default
            }
            List<String> now = strings(value);
            List<String> fallback = strings(ad.getDefaultValue());
            boolean multiple = ad.getCardinality() != 0;
            if (multiple ? !sorted(now).equals(sorted(fallback)) : !now.equals(fallback)) {
                differences.add(new Difference(ad.getID(), now, fallback));
            }
        }
        return differences;
    }

    private static List<String> sorted(List<String> values) {
        List<String> s = new ArrayList<>(values);
        s.sort(null);
        return s;
    }

    /** A property value or default as its non-blank words (an array, a collection or one value). */
    static List<String> strings(Object value) {
        List<String> words = new ArrayList<>();
        if (value instanceof Object[] array) {
            for (Object o : array) {
                words.add(String.valueOf(o).strip());
            }
        } else if (value instanceof Collection<?> c) {
            c.forEach(o -> words.add(String.valueOf(o).strip()));
        } else if (value != null) {
            words.add(String.valueOf(value).strip());
        }
        words.removeIf(String::isEmpty);
        return words;
    }

    private static ObjectClassDefinition describe(BundleContext context, MetaTypeService metatype, String pid) {
        for (Bundle b : context.getBundles()) {
            MetaTypeInformation info = metatype.getMetaTypeInformation(b);
            if (info != null && Arrays.asList(info.getPids()).contains(pid)) {
                return info.getObjectClassDefinition(pid, null);
            }
        }
        return null;
    }
}
