package org.l3wb.lab.shell;

import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.l3wb.hw.api.CacheGeometry;
import org.l3wb.hw.api.InstructionCosts;
import org.l3wb.hw.api.MemoryTiming;
import org.l3wb.hw.api.ProcessorModel;
import org.l3wb.hw.api.TlbGeometry;
import org.l3wb.lab.format.Format;
import org.l3wb.lab.format.Table;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** Gogo commands of scope {@code hw}: list, select and describe processor models. */
@Component(service = HwCommands.class, property = {
    "osgi.command.scope=hw",
    "osgi.command.function=processors",
    "osgi.command.function=use",
    "osgi.command.function=info"
})
public class HwCommands {
    @Reference
    private Workbench workbench;

    @Descriptor("list the installed processor models; * marks the selected one")
    public String processors(
            @Descriptor("output format: text, csv or json")
            @Parameter(names = "--format", absentValue = "text") String format) {
        Format f = Format.parse(format);
        Table t = new Table("selected", "name", "clock_mhz", "description");
        for (ProcessorModel m : workbench.processors()) {
            boolean sel = m.name().equals(workbench.selectedName());
            t.row(f == Format.TEXT ? (sel ? "*" : "") : sel, m.name(), m.clockMHz(), m.description());
        }
        return t.render(f);
    }

    @Descriptor("select the processor model later experiments run on (kept across restarts)")
    public String use(@Descriptor("processor name, as hw:processors lists it") String name) {
        ProcessorModel m = workbench.select(name);
        return "processor " + m.name() + " selected (" + m.clockMHz() + " MHz)";
    }

    @Descriptor("show the selected machine's geometry and instruction costs")
    public String info(
            @Descriptor("output format: text, csv or json")
            @Parameter(names = "--format", absentValue = "text") String format) {
        Format f = Format.parse(format);
        ProcessorModel m = workbench.processor();
        TlbGeometry tlb = m.tlb();
        CacheGeometry c = m.onChipCache();
        MemoryTiming t = m.memoryTiming();
        InstructionCosts k = m.costs();
        Table table = new Table("setting", "value", "unit");
        table.row("name", m.name(), "")
                .row("clock", m.clockMHz(), "MHz")
                .row("segments", m.hasSegments(), "")
                .row("tlb.entries", tlb.entries(), "entries")
                .row("tlb.ways", tlb.ways(), "ways")
                .row("tlb.tagged", m.taggedTlb(), "")
                .row("cache.size", c.sizeBytes(), "bytes")
                .row("cache.ways", c.ways(), "ways")
                .row("cache.line", c.lineBytes(), "bytes")
                .row("cache.sets", c.sets(), "sets")
                .row("memory.size", t.memoryBytes(), "bytes")
                .row("memory.externalCache", t.externalCacheBytes(), "bytes")
                .row("memory.externalFill", t.externalFillCycles(), "cycles/line")
                .row("memory.dramFill", t.dramFillCycles(), "cycles/line")
                .row("memory.writeBuffer", t.writeBufferEntries(), "entries")
                .row("memory.externalWrite", t.externalWriteCycles(), "cycles")
                .row("memory.dramWrite", t.dramWriteCycles(), "cycles");
        for (var component : InstructionCosts.class.getRecordComponents()) {
            try {
                table.row("cost." + component.getName(), component.getAccessor().invoke(k), "cycles");
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
        }
        return table.render(f);
    }
}
