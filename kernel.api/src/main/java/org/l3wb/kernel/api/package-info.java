/**
 * What user programs, IPC mechanisms and schedulers see of the L3-style nucleus.
 *
 * <ul>
 * <li>For experiments and user programs: {@link org.l3wb.kernel.api.Kernel} boots a
 * {@link org.l3wb.kernel.api.Nucleus} on a simulated machine; tasks and threads are created in it;
 * each thread runs a {@link org.l3wb.kernel.api.UserProgram} that issues instructions and system
 * calls through its {@link org.l3wb.kernel.api.UserContext}.</li>
 * <li>For IPC mechanisms ({@link org.l3wb.kernel.api.IpcMechanism}) and schedulers
 * ({@link org.l3wb.kernel.api.Scheduler}): the {@link org.l3wb.kernel.api.KernelContext} the
 * nucleus hands them at every call, its {@link org.l3wb.kernel.api.KernelLayout}, and the thread
 * control block layout {@link org.l3wb.kernel.api.Tcb}.</li>
 * </ul>
 * Values ({@link org.l3wb.kernel.api.ThreadId}, {@link org.l3wb.kernel.api.Timeout},
 * {@link org.l3wb.kernel.api.ResultCode}, {@link org.l3wb.kernel.api.Dope},
 * {@link org.l3wb.kernel.api.Switches}) follow the paper's register interface (Table 6).
 */
@Version("3.1.0")
@Export
package org.l3wb.kernel.api;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
