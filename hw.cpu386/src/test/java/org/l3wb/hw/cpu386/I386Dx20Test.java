package org.l3wb.hw.cpu386;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.l3wb.hw.api.InstructionCosts;
import org.l3wb.hw.api.MemoryUnit;
import org.l3wb.hw.api.ProcessorModel;

/** The 386 model is valid, has what a 386 lacks, and its cost table is the one its readme cites. */
class I386Dx20Test {
    @Test
    void validAndA386() {
        I386Dx20 m = new I386Dx20();
        ProcessorModel.validate(m);
        assertEquals("i386dx20", m.name());
        assertEquals(20, m.clockMHz());
        assertTrue(m.instructions().isEmpty(), "no INVLPG, no WBINVD");
        assertFalse(m.memoryUnits().contains(MemoryUnit.ON_CHIP_CACHE));
        assertFalse(m.writeProtect());
        assertTrue(m.hasSegments());
        assertFalse(m.taggedTlb());
        assertEquals(32, m.tlb().entries());
        assertEquals(4, m.tlb().ways());
    }

    /** Every field of the cost table against the readme's table ({@code | `field` | ... | value | ...}). */
    @Test
    void costTableIsWhatTheReadmeCites() throws IOException {
        String readme = Files.readString(Path.of("readme.md"));
        Pattern row = Pattern.compile("^\\| `(\\w+)` \\| [^|]+ \\| (\\d+) \\|", Pattern.MULTILINE);
        Map<String, Integer> cited = new LinkedHashMap<>();
        Matcher x = row.matcher(readme);
        while (x.find()) {
            cited.put(x.group(1), Integer.parseInt(x.group(2)));
        }
        InstructionCosts costs = I386Dx20.I386_COSTS;
        for (RecordComponent c : InstructionCosts.class.getRecordComponents()) {
            assertTrue(cited.containsKey(c.getName()), "readme cites " + c.getName());
            try {
                assertEquals(cited.get(c.getName()), c.getAccessor().invoke(costs), c.getName());
            } catch (ReflectiveOperationException e) {
                throw new AssertionError(e);
            }
        }
        assertEquals(InstructionCosts.class.getRecordComponents().length, cited.size());
        assertTrue(readme.contains("wait states per bus cycle: " + I386Dx20.WAIT_STATES), "board's wait states cited");
    }
}
