package org.l3wb.lab.shell;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.l3wb.kernel.api.Switch;
import org.l3wb.kernel.api.Switches;

class SelectionTest {

    @Test
    void noConfigurationIsThePapersKernelOnThePapersMachine() {
        Selection s = Selection.from(WorkbenchConfigs.defaults());
        assertEquals(Selection.DEFAULT, s);
        assertEquals("i486dx50", s.processor());
        assertEquals("l3", s.mechanism());
        assertEquals("lazy", s.scheduler());
        assertEquals(Switches.ALL_ON, s.switches());
    }

    @Test
    void propertiesReadBackAsTheSameSelection() {
        Selection s = new Selection("i486dx33", "ports",
                Switches.ALL_ON.with(Switch.LAZY_SCHEDULING, false).with(Switch.DIRECT_TRANSFER, false)
                        .with(Switch.VIRTUAL_TCB, false));
        Dictionary<String, Object> p = s.toProperties();

        assertEquals("i486dx33", p.get("processor"));
        assertEquals("ports", p.get("mechanism"));
        assertEquals("strict", p.get("scheduler"));
        assertArrayEquals(new String[] {"direct", "vtcb"}, (String[]) p.get("switches.off"));
        assertEquals("(name=i486dx33)", p.get("selectedProcessor.target"));
        assertEquals("(name=ports)", p.get("selectedMechanism.target"));
        assertEquals(s, Selection.from(WorkbenchConfigs.of(p)));
        assertTrue(s.isStoredIn(p));
        assertFalse(s.withMechanism("l3").isStoredIn(p));
        assertFalse(s.isStoredIn(null));
    }

    @Test
    void aHandWrittenConfigurationCannotBreakTheWorkbench() {
        Selection s = Selection.from(WorkbenchConfigs.ofMap(Map.of(
                "processor", " ",
                "mechanism", "mach",
                "scheduler", "fifo",
                "switches.off", new String[] {"bogus", "condensed", "lazy"})));
        assertEquals("i486dx50", s.processor(), "a blank name falls back to the default");
        assertEquals("mach", s.mechanism());
        assertEquals("lazy", s.scheduler(), "only 'strict' switches lazy scheduling off; 'lazy' in switches.off is ignored");
        assertEquals(Switches.allBut(Switch.CONDENSED_TABLES), s.switches(), "unknown switch names are skipped");
    }

    @Test
    void storedPropertiesReadAsDsConvertsThem() {
        assertEquals(Selection.DEFAULT, Selection.from(new java.util.Hashtable<String, Object>()));
        java.util.Hashtable<String, Object> p = new java.util.Hashtable<>();
        p.put("processor", "i486dx33");
        p.put("scheduler", "strict");
        p.put("switches.off", "direct");
        assertEquals(new Selection("i486dx33", "l3", Switches.ALL_ON.with(Switch.LAZY_SCHEDULING, false)
                .with(Switch.DIRECT_TRANSFER, false)), Selection.from(p));
        Switches directAndVtcbOff = Switches.ALL_ON.with(Switch.LAZY_SCHEDULING, false)
                .with(Switch.DIRECT_TRANSFER, false).with(Switch.VIRTUAL_TCB, false);
        p.put("switches.off", List.of("direct", "vtcb"));
        assertEquals(directAndVtcbOff, Selection.from(p).switches());
        // a .cfg file FileInstall reads as plain strings
        for (String plain : List.of("direct,vtcb", "direct vtcb", "[\"direct\",\"vtcb\"]", " direct , vtcb ")) {
            p.put("switches.off", plain);
            assertEquals(directAndVtcbOff, Selection.from(p).switches(), plain);
        }
    }

    @Test
    void aNameIsQuotedInTheReferenceTarget() {
        assertEquals("(name=i486dx50)", Selection.nameFilter("i486dx50"));
        assertEquals("(name=a\\(b\\)\\*c\\\\)", Selection.nameFilter("a(b)*c\\"));
    }

    /** The Metatype options are written out in the annotation; they must name exactly kernel.api's switches but lazy. */
    @Test
    void metatypeDescribesEverySwitchButLazyAndDesignatesThePid() throws IOException {
        String xml;
        try (InputStream in = getClass().getClassLoader()
                .getResourceAsStream("OSGI-INF/metatype/org.l3wb.lab.shell.WorkbenchConfig.xml")) {
            assertNotNull(in, "bnd generated no metatype for WorkbenchConfig");
            xml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertTrue(xml.contains("<Designate pid=\"" + WorkbenchConfig.PID + "\">"), xml);

        Matcher ad = Pattern.compile("<AD id=\"switches\\.off\".*?</AD>", Pattern.DOTALL).matcher(xml);
        assertTrue(ad.find(), xml);
        List<String> options = new ArrayList<>();
        Matcher value = Pattern.compile("value=\"([^\"]*)\"").matcher(ad.group());
        while (value.find()) {
            options.add(value.group(1));
        }
        List<String> expected = new ArrayList<>();
        for (Switch s : Switch.values()) {
            if (s != Switch.LAZY_SCHEDULING) {
                expected.add(s.key());
            }
        }
        assertEquals(expected, options);
    }
}
