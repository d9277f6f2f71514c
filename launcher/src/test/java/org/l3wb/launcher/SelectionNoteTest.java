package org.l3wb.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.l3wb.launcher.SelectionNote.Difference;
import org.osgi.service.metatype.AttributeDefinition;

/**
 * Which stored selections differ from the defaults their Metatype description declares, and how that
 * is said (issue 14, item 3).
 */
class SelectionNoteTest {

    /** An attribute as Metatype describes one: id, cardinality (0 one value, else a list), default. */
    private static AttributeDefinition attribute(String id, int cardinality, String... defaults) {
        return new AttributeDefinition() {
            @Override public String getName() { return id; }
            @Override public String getID() { return id; }
            @Override public String getDescription() { return ""; }
            @Override public int getCardinality() { return cardinality; }
            @Override public int getType() { return STRING; }
            @Override public String[] getOptionValues() { return null; }
            @Override public String[] getOptionLabels() { return null; }
            @Override public String validate(String value) { return null; }
            @Override public String[] getDefaultValue() { return defaults.length == 0 ? null : defaults; }
        };
    }

    private static final AttributeDefinition[] WORKBENCH = {
        attribute("processor", 0, "i486dx50"),
        attribute("mechanism", 0, "l3"),
        attribute("scheduler", 0, "lazy"),
        attribute("switches.off", Integer.MAX_VALUE)
    };

    @Test
    void storedDefaultsAbsentPropertiesAndUndescribedOnesAreNoDifference() {
        Map<String, Object> stored = Map.of("processor", "i486dx50", "mechanism", "l3", "switches.off", new String[0],
                "selectedProcessor.target", "(name=i486dx50)");
        assertEquals(List.of(), SelectionNote.compare(WORKBENCH, stored::get));
        assertNull(SelectionNote.line(List.of()));
        assertEquals("wb> ", SelectionNote.prompt(List.of()));
    }

    @Test
    void eachDifferenceIsNamedWithThePapersValue() {
        Map<String, Object> stored = Map.of("mechanism", "ports", "scheduler", "lazy",
                "switches.off", new String[] {"vtcb", "direct"});
        List<Difference> d = SelectionNote.compare(WORKBENCH, stored::get);
        assertEquals(List.of(new Difference("mechanism", List.of("ports"), List.of("l3")),
                new Difference("switches.off", List.of("vtcb", "direct"), List.of())), d);
        assertEquals("note: selections differ from the paper's configuration: mechanism=ports (paper: l3), "
                + "switches.off=vtcb,direct (paper: none); wb:reset returns to it", SelectionNote.line(d));
        assertEquals("wb mechanism=ports switches.off=vtcb,direct> ", SelectionNote.prompt(d));
    }

    @Test
    void aListInAnotherOrderIsTheSameListAndThePromptStaysPlain() {
        AttributeDefinition[] list = {attribute("off", 5, "b", "a"), attribute("name", 0, "x")};
        assertEquals(List.of(), SelectionNote.compare(list, Map.<String, Object>of("off", List.of("a", "b"))::get));
        List<Difference> d = SelectionNote.compare(list, Map.<String, Object>of("name", "$x 'y' %z")::get);
        assertEquals(1, d.size());
        assertEquals("wb name=_x__y___z> ", SelectionNote.prompt(d), "nothing the shell would expand");
    }
}
