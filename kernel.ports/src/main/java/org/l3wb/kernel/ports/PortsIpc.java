package org.l3wb.kernel.ports;

import org.l3wb.hw.api.CodeStep;
import org.l3wb.hw.api.PageFault;
import org.l3wb.hw.api.Processor;
import org.l3wb.hw.api.Reg;
import org.l3wb.kernel.api.IpcMechanism;
import org.l3wb.kernel.api.IpcOperation;
import org.l3wb.kernel.api.KernelContext;
import org.l3wb.kernel.api.KernelStep;
import org.l3wb.kernel.api.ResultCode;
import org.l3wb.kernel.api.Tcb;
import org.l3wb.kernel.api.ThreadIpc;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * Port-based IPC (paper 7.1): "we extend L3 ipc to support indirection and port rights". A thread is
 * addressed through a port: user level names it by an index into its own space's port link table,
 * whose write link points to the port's entry in the global port table; the entry names the thread
 * that receives on it. Both tables are reachable by the kernel only. An index without the right holds
 * a link into a page that is never mapped, so the rights check happens on the page-fault path and a
 * legal access costs no check at all. A call enters the caller's own port for the reply and sets the
 * receiver's reply link to it (Table 5); the receiver gets that reply index as the sender's identity
 * and answers through it. The thread-to-thread part is L3's ({@link ThreadIpc}).
 *
 * <pre>
 *  mechanism data + 0x25340          port table: port of thread t at + t x 16 (thread, reply-to, reply link)
 *  mechanism data + 4 MB + 0x40000   port link tables: task t's at + t x 4 KB, 512 links of (read, write)
 *  mechanism data + 8 MB             never mapped: the target of every link without a right
 * </pre>
 * Placement (5.5.1, 5.5.2): the offsets put the ports of the first threads and the first links handed
 * out (from index 72) into cache sets the hot kernel lines leave free, and their pages and page-table
 * entries away from the TLB set and cache sets of the TCBs.
 */
@Component(service = IpcMechanism.class, property = {"name=ports", "fallback.rank:Integer=20"})
public class PortsIpc implements IpcMechanism {
    /** The mechanism's name: its service property and the owner of its data region. */
    static final String MECHANISM = "ports";
    static final int PORT_SIZE = 16;
    static final int PORT_THREAD = 0;
    static final int PORT_REPLY_TO = 4;
    static final int PORT_REPLY_LINK = 8;
    static final int PORTS_OFFSET = 0x25340;
    static final int LINKS_OFFSET = (4 << 20) + 0x40000;
    static final int FIRST_LINK = 72;
    static final int NO_RIGHT_OFFSET = 8 << 20;
    static final int LINKS_PER_TASK = 512;
    static final int LINK_SIZE = 8;
    static final int LINK_READ = 0;
    static final int LINK_WRITE = 4;
    /** Link 0 of each table is not a link: its first word counts the links handed out. */
    static final int LINK_COUNTER = 0;

    private final ThreadIpc threads;

    @Activate
    public PortsIpc(@Reference(target = "(name=l3)") ThreadIpc threads) {
        this.threads = threads;
    }

    @Override
    public String name() {
        return MECHANISM;
    }

    /** Yes: a port resolves to a thread, then L3's thread IPC waits and transfers (its tables hold no waits). */
    @Override
    public boolean keepsItsStateInThreadIpc() {
        return true;
    }

    static int portOf(KernelContext k, int threadNumber) {
        return k.layout().mechanismData(MECHANISM) + PORTS_OFFSET + threadNumber * PORT_SIZE;
    }

    static int linksOf(KernelContext k, int task) {
        return k.layout().mechanismData(MECHANISM) + LINKS_OFFSET + task * LINKS_PER_TASK * LINK_SIZE;
    }

    static int noRight(KernelContext k) {
        return k.layout().mechanismData(MECHANISM) + NO_RIGHT_OFFSET;
    }

    @Override
    public void ipc(KernelContext k, IpcOperation op) {
        if (op == IpcOperation.RECEIVE) {
            threads.ipcTo(k, op, 0, 0, 0); // receiving needs no port: the sender's message finds us
            return;
        }
        portLookup(k, op, k.current());
    }

    /**
     * PORT_LOOKUP (7.1, Table 5): the port index in EDX to the port's thread, through our link table
     * and the port table; a call's reply entered; then L3's thread IPC to that thread. Registers: the
     * link table and then the port in ESI, the thread's TCB in EDX (where L3's path expects its
     * partner), our TCB through ESP; our port and the reply index pass through EAX, whose receive
     * buffer address a hand-coded kernel would keep on the stack meanwhile.
     */
    private void portLookup(KernelContext k, IpcOperation op, int me) {
        Processor cpu = k.cpu();
        cpu.step(KernelStep.PORT_LOOKUP);
        int index = cpu.reg(Reg.EDX) & (LINKS_PER_TASK - 1);
        cpu.alu(Reg.EDX, Reg.NONE, index); // restrict port index (in EDX: EBP carries word 1)
        int links = linksOf(k, cpu.load(Reg.ESI, Reg.ESP, me + Tcb.TASK));
        int port;
        int thread;
        try {
            port = cpu.load(Reg.ESI, Reg.ESI, Reg.EDX, links + index * LINK_SIZE + LINK_WRITE); // load port link
            thread = loadPortEntry(k, port + PORT_THREAD); // load port entry
        } catch (PageFault noRight) {
            cpu.movImm(Reg.EAX, ResultCode.NO_PARTNER.code());
            k.returnToUser();
            return;
        }
        cpu.alu(Reg.EDX, Reg.EDX); // check empty
        // a port whose thread was deleted is empty too: entering the reply (below) would hand the
        // dead thread's task a link to our port, a right nobody granted (7.1: rights only by links the
        // kernel set up); the TCB's state is on the line the L3 path loads next anyway
        if (cpu.jcc(thread == 0) || dead(cpu, thread)) {
            cpu.movImm(Reg.EAX, ResultCode.NO_PARTNER.code());
            k.returnToUser();
            return;
        }
        int myPort = portOf(k, cpu.load(Reg.EAX, Reg.ESP, me + Tcb.UID_LOW) >>> 10);
        cpu.store(Reg.ESI, port + PORT_REPLY_TO, Reg.EAX, myPort); // enter A for reply
        int replyLink = cpu.load(Reg.ESI, Reg.ESI, port + PORT_REPLY_LINK); // get B's reply index
        cpu.store(Reg.NONE, Reg.ESI, k.layout().mechanismData(MECHANISM) + LINKS_OFFSET + replyLink * LINK_SIZE
                + LINK_WRITE, Reg.EAX, myPort); // set B's reply link
        threads.ipcTo(k, op, thread, replyLink & (LINKS_PER_TASK - 1), 0);
    }

    /** @return whether the port's thread is gone (CMP state, FREE on the TCB in EDX) */
    private static boolean dead(Processor cpu, int thread) {
        int state = cpu.load(Reg.EAX, Reg.EDX, thread + Tcb.STATE);
        cpu.alu(Reg.EAX, Reg.NONE); // CMP state, FREE
        return cpu.jcc(state == Tcb.FREE);
    }

    /** Loads a port entry; a link without the right points into an unmapped page, and faults (7.1). */
    private static int loadPortEntry(KernelContext k, int address) {
        try {
            return k.cpu().load(Reg.EDX, Reg.NONE, Reg.ESI, address);
        } catch (PageFault f) {
            k.pageFault(f); // not a TCB or window fault: the handler gives it back
            throw f;
        }
    }

    @Override
    public void resumeTransfer(KernelContext k) {
        threads.resumeTransfer(k); // transfers are L3's
    }

    /** SET_UP: our link to the target's port, the ports and links made on first use (Registers: a TCB in EBX, a port in ESI, a link table in EDI). */
    @Override
    public long endpoint(KernelContext k, int caller, int target) {
        Processor cpu = k.cpu();
        CodeStep outer = cpu.step(KernelStep.SET_UP);
        int targetPort = ownPort(k, target);
        ownPort(k, caller);
        int index = allocateLink(k, cpu.load(Reg.EAX, Reg.EBX, caller + Tcb.TASK));
        int links = linksOf(k, cpu.load(Reg.EAX, Reg.EBX, caller + Tcb.TASK));
        cpu.store(Reg.EDI, links + index * LINK_SIZE + LINK_WRITE, Reg.EAX, targetPort);
        cpu.step(outer);
        return index;
    }

    /** @return the thread's own port, set up with its reply link on first use */
    private static int ownPort(KernelContext k, int tcb) {
        Processor cpu = k.cpu();
        int port = portOf(k, cpu.load(Reg.EAX, Reg.EBX, tcb + Tcb.UID_LOW) >>> 10);
        k.mapKernelPage(port);
        cpu.store(Reg.ESI, port + PORT_THREAD, Reg.EBX, tcb);
        if (cpu.load(Reg.EAX, Reg.ESI, port + PORT_REPLY_LINK) == 0) {
            int task = cpu.load(Reg.EAX, Reg.EBX, tcb + Tcb.TASK);
            cpu.store(Reg.ESI, port + PORT_REPLY_LINK, Reg.EAX, task * LINKS_PER_TASK + allocateLink(k, task));
        }
        return port;
    }

    /** @return a fresh link index in {@code task}'s table; a new table has no right anywhere */
    private static int allocateLink(KernelContext k, int task) {
        Processor cpu = k.cpu();
        int links = linksOf(k, task);
        k.mapKernelPage(links);
        int next = cpu.load(Reg.EAX, Reg.EDI, links + LINK_COUNTER);
        if (next == 0) {
            // link 0's read word is the counter; its write word, reached by index 0 (and by any
            // index masked onto it, such as a uid), must hold no right either
            cpu.store(Reg.EDI, links + LINK_COUNTER + LINK_WRITE, Reg.EAX, noRight(k));
            for (int i = 1; i < LINKS_PER_TASK; i++) {
                cpu.store(Reg.EDI, links + i * LINK_SIZE + LINK_READ, Reg.EAX, noRight(k));
                cpu.store(Reg.EDI, links + i * LINK_SIZE + LINK_WRITE, Reg.EAX, noRight(k));
            }
            next = FIRST_LINK;
        }
        if (next >= LINKS_PER_TASK) {
            throw new IllegalStateException("task " + task + " has all " + (LINKS_PER_TASK - 1) + " port links");
        }
        cpu.store(Reg.EDI, links + LINK_COUNTER, Reg.EAX, next + 1);
        return next;
    }
}
