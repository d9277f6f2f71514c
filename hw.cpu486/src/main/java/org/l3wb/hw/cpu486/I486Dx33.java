package org.l3wb.hw.cpu486;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.Designate;

/** The same 486 core and board at 33 MHz (paper, Table 2: L3 on a 486 at 33 MHz). */
@Component(service = {}, immediate = true, configurationPolicy = ConfigurationPolicy.OPTIONAL,
        configurationPid = "hw.cpu486.i486dx33", property = "clockMHz:Integer=33")
@Designate(ocd = I486Config.class)
public class I486Dx33 extends I486Model {
    public I486Dx33() {
        super("i486dx33", "Intel 486 DX-33: 8 KB 4-way on-chip cache, 32-entry TLB, 256 KB external cache");
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
