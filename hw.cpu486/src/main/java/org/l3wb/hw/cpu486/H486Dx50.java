package org.l3wb.hw.cpu486;

import java.util.EnumSet;
import java.util.Set;

import org.l3wb.hw.api.Instruction;
import org.l3wb.hw.api.Segmentation;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.Designate;

/**
 * Paper section 7.4's hypothetical processor: "a 486-compatible processor without the segment system
 * ... and with a multi-address-space TLB". The DX-50's core, cost table and board, with two changes,
 * both capabilities (no constant states a saving):
 * <ul>
 * <li>no segment system: INT and IRET read no descriptor and cost the i486's real-address-mode clocks,
 * where they read none either: INT n 30, IRET 15 (i486 Microprocessor Programmer's Reference Manual,
 * 1990, instruction set);</li>
 * <li>a TLB tagged by address space, with global pages and a flush by tag (charged as INVLPG).</li>
 * </ul>
 * What that saves per IPC is what {@code lab:hypothetical} measures against {@code i486dx50}.
 */
@Component(service = {}, immediate = true, configurationPolicy = ConfigurationPolicy.OPTIONAL,
        configurationPid = "hw.cpu486.h486dx50", property = "clockMHz:Integer=50")
@Designate(ocd = I486Config.class)
public class H486Dx50 extends I486Model {
    /** i486 INT n in real-address mode (i486 PRM): the entry of a 486 core without descriptors. */
    static final int REAL_MODE_INT = 30;
    /** i486 IRET in real-address mode (i486 PRM). */
    static final int REAL_MODE_IRET = 15;

    public H486Dx50() {
        super("h486dx50", "Section 7.4's hypothetical 486 DX-50: no segment system (INT 30 / IRET 15), "
                + "tagged TLB with global pages");
    }

    @Activate
    void activate(BundleContext context, I486Config config) {
        register(context, config);
    }

    @Deactivate
    void deactivate() {
        unregister();
    }

    @Override
    public boolean hasSegments() {
        return false;
    }

    @Override
    public Segmentation segmentation() {
        return Segmentation.none(REAL_MODE_INT, REAL_MODE_IRET);
    }

    @Override
    public boolean taggedTlb() {
        return true;
    }

    @Override
    public boolean globalPages() {
        return true;
    }

    @Override
    public Set<Instruction> instructions() {
        return EnumSet.allOf(Instruction.class);
    }
}
