package org.l3wb.hw.cpu486;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.Designate;

/** The paper's machine: Intel 486 DX-50, 256 KB external cache, 16 MB DRAM (section 6). */
@Component(service = {}, immediate = true, configurationPolicy = ConfigurationPolicy.OPTIONAL,
        configurationPid = "hw.cpu486.i486dx50", property = "clockMHz:Integer=50")
@Designate(ocd = I486Config.class)
public class I486Dx50 extends I486Model {
    public I486Dx50() {
        super("i486dx50", "Intel 486 DX-50: 8 KB 4-way on-chip cache, 32-entry TLB, 256 KB external cache");
    }

    @Activate
    void activate(BundleContext context, I486Config config) {
        register(context, config);
    }

    @Deactivate
    void deactivate() {
        unregister();
    }
}
