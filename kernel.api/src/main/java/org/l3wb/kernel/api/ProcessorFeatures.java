package org.l3wb.kernel.api;

import org.l3wb.hw.api.Instruction;
import org.l3wb.hw.api.ProcessorModel;

/**
 * What the kernel adapts to, read once from the {@link ProcessorModel} when the nucleus boots (paper
 * 7.4, "a different processor": the kernel honours what the processor declares, never its name).
 * Each capability is asked in one place of the kernel, next to the paper section it follows:
 * <ul>
 * <li>{@code segments} — the segment-register check on entry and the flat-segment guarantee on exit
 * (5.3, 5.5.3) and the TSS's ESP0 on a thread switch: only with the 386 segment system
 * ({@code L3Nucleus.enterKernel}, {@code returnToUser}, {@code switchTo}; {@code mach}'s trap path);</li>
 * <li>{@code taggedTlb} — a CR3 load does not clean the communication window (5.2.3): the window is
 * flushed by tag ({@link KernelContext#cleanWindow}, {@link KernelContext#windowDoneBeforeSwitch});</li>
 * <li>{@code globalPages} — the kernel area is mapped {@code GLOBAL}, so that kernel code, TCBs and
 * tables are not duplicated per space in a tagged TLB, nor flushed by a CR3 load in an untagged one;</li>
 * <li>{@code invlpg} — without it, a page is invalidated by flushing the space (by tag) or the whole
 * TLB (CR3 reload), as a 386 kernel does ({@link KernelContext#invalidatePages});</li>
 * <li>{@code writeProtect} — without supervisor write protection (the 386) the kernel checks the
 * page-table write bit itself before it writes into user memory (L3's {@code Transfer}).</li>
 * </ul>
 */
public record ProcessorFeatures(boolean segments, boolean taggedTlb, boolean globalPages, boolean invlpg,
                                boolean flushByTag, boolean writeProtect) {

    /** The i486: segments, untagged TLB, no global pages, INVLPG, write protection. */
    public static final ProcessorFeatures I486 = new ProcessorFeatures(true, false, false, true, false, true);

    /** @return the features a model declares (each read once) */
    public static ProcessorFeatures of(ProcessorModel model) {
        var instructions = model.instructions();
        return new ProcessorFeatures(model.hasSegments(), model.taggedTlb(), model.globalPages(),
                instructions.contains(Instruction.INVLPG), instructions.contains(Instruction.FLUSH_TLB_TAG),
                model.writeProtect());
    }
}
