//! LVS / BFD keyword tests: whole configurations read as `config::load`
//! reads them, then [`super::validate`].

use crate::config::diag::{ErrClass, Level};
use crate::config::fs::ConfigFs;
use crate::config::fs::memfs::MemFs;
use crate::config::host::{FakeHost, Host};
use crate::config::keywords::{State, root_table};
use crate::config::parser::Ctx;
use crate::config::reader::{ReadOptions, Reader};
use std::path::PathBuf;
use std::rc::Rc;

/// What a `-t` run of one configuration gave.
struct Out {
    /// (class, message) of the report_config_error lines, in order.
    msgs: Vec<(ErrClass, String)>,
    /// Rendered lines (with keepalived's prefixes).
    lines: Vec<String>,
    code: i32,
    /// `LvsState::keepalived_dies`.
    death: Option<super::Death>,
}

impl Out {
    fn texts(&self) -> Vec<&str> {
        self.msgs.iter().map(|(_, m)| m.as_str()).collect()
    }
    fn has(&self, m: &str) -> bool {
        self.msgs.iter().any(|(_, x)| x == m)
    }
    fn class_of(&self, m: &str) -> Option<ErrClass> {
        self.msgs.iter().find(|(_, x)| x == m).map(|(c, _)| *c)
    }
}

fn read(fs: &dyn ConfigFs, host: Rc<dyn Host>, path: &str) -> Out {
    let opts = ReadOptions {
        cwd: PathBuf::from("/"),
        ..Default::default()
    };
    let mut r = Reader::new(fs, &opts);
    r.sources.always_name = true;
    r.open_main(path);
    let mut c = Ctx::new(&mut r, State::new(host), true);
    c.run(root_table());
    let stopped = c.stopped.is_some();
    if !stopped {
        super::validate(&mut c);
    }
    let death = c.state.lvs.keepalived_dies().cloned();
    let mut msgs = Vec::new();
    let mut lines = Vec::new();
    for d in &r.diags.items {
        if let Level::Config(class) = d.level {
            msgs.push((class, d.message.clone()));
            lines.push(d.render(&r.sources));
        }
    }
    let code = if stopped {
        2
    } else {
        ErrClass::config_test_exit_code(r.diags.status())
    };
    Out {
        msgs,
        lines,
        code,
        death,
    }
}

fn run_host(text: &str, host: FakeHost) -> Out {
    let mut fs = MemFs::new();
    fs.add("/etc/keepalived/keepalived.conf", text);
    read(&fs, Rc::new(host), "/etc/keepalived/keepalived.conf")
}

fn run(text: &str) -> Out {
    run_host(text, FakeHost::with_interfaces(&["eth0"]))
}

/// A valid virtual server around `rs_body` (inside one real_server).
fn vs_with(rs_body: &str) -> String {
    format!(
        "virtual_server 10.0.0.1 80 {{\n lb_algo rr\n lb_kind NAT\n protocol TCP\n real_server 10.0.0.2 80 {{\n{rs_body}\n }}\n}}\n"
    )
}

const NOTE: &str = "This build of keepalived does not manage LVS/IPVS or BFD: 1 virtual_server and 0 bfd_instance block(s) were checked but will not be run; VRRP is unaffected";

#[test]
fn valid_virtual_server_only_notes_it() {
    let o = run(&vs_with(
        " weight 2\n TCP_CHECK {\n connect_timeout 3\n retry 2\n delay_before_retry 1\n }",
    ));
    assert_eq!(o.texts(), vec![NOTE]);
    assert_eq!(o.class_of(NOTE), Some(ErrClass::Ok));
    assert_eq!(o.code, 0);
    assert_eq!(
        o.lines[0],
        format!("(/etc/keepalived/keepalived.conf: Line 1) {NOTE}")
    );
}

/// The messages other than the closing note.
fn lvs_msgs(o: &Out) -> Vec<&str> {
    o.texts()
        .into_iter()
        .filter(|m| !m.starts_with("This build of keepalived"))
        .collect()
}

fn assert_msgs(text: &str, want: &[&str], code: i32) {
    let o = run(text);
    assert_eq!(lvs_msgs(&o), want, "config:\n{text}");
    assert_eq!(o.code, code, "config:\n{text}\nmessages: {:?}", o.texts());
}

/// Messages of one virtual server block `body` (prefix lines added).
fn vs_body(body: &str) -> String {
    format!("virtual_server 10.0.0.1 80 {{\n{body}\n}}\n")
}

const RS: &str = " real_server 10.0.0.2 80 {\n }";

#[test]
fn note_counts_blocks_and_is_given_once() {
    let o = run(
        "SSL {\n}\nvirtual_server_group G {\n 10.0.0.1 80\n}\nbfd_instance B {\n neighbor_ip 10.0.0.9\n}\n",
    );
    assert_eq!(
        o.texts(),
        vec![
            "This build of keepalived does not manage LVS/IPVS or BFD: 0 virtual_server, 1 virtual_server_group, 1 SSL and 1 bfd_instance block(s) were checked but will not be run; VRRP is unaffected"
        ]
    );
    assert_eq!(o.code, 0);
    let o = run("vrrp_instance VI {\n}\n");
    assert!(o.texts().iter().all(|m| !m.starts_with("This build")));
}

#[test]
fn ssl_block() {
    assert_msgs(
        "SSL {\n password\n password a\n password b\n ca x\n certificate y\n key z\n key z\n}\nSSL {\n}\n",
        &[
            "SSL password missing",
            "SSL password already specified - replacing",
            "SSL keyfile already specified - replacing",
            "SSL context already specified - replacing",
        ],
        5,
    );
}

#[test]
fn unknown_words_inside_blocks() {
    let o = run(&vs_body(
        " lb_algo rr\n protocol TCP\n nat_mask 255.255.255.0\n real_server 10.0.0.2 80 {\n  nb_get_retry 3\n  TCP_CHECK {\n   nb_get_retry 3\n   misc_path /bin/true\n  }\n }",
    ));
    assert_eq!(
        lvs_msgs(&o),
        vec![
            "Unknown keyword 'nat_mask'",
            "Unknown keyword 'nb_get_retry'",
            "Unknown keyword 'nb_get_retry'",
            "Unknown keyword 'misc_path'",
            "Virtual server [10.0.0.1]:tcp:80: no forwarding method set, setting default NAT"
        ]
    );
    assert_eq!(
        o.class_of("Unknown keyword 'nat_mask'"),
        Some(ErrClass::UnknownKeyword)
    );
    assert_eq!(o.code, 5);
}

#[test]
fn virtual_server_addresses() {
    assert_msgs(
        "virtual_server 10.0.0.300 80 {\n weight 1\n}\n",
        &["Invalid virtual server IP address/port 10.0.0.300/80 - skipping"],
        5,
    );
    assert_msgs(
        "virtual_server 10.0.0.1 http {\n}\n",
        &[
            "invalid number 'http'",
            "Invalid virtual server IP address/port 10.0.0.1/http - skipping",
        ],
        5,
    );
    assert_msgs(
        "virtual_server bad {\n}\n",
        &["Invalid virtual server IP address bad - skipping"],
        5,
    );
    assert_msgs(
        "virtual_server fwmark x {\n}\n",
        &[
            "invalid number 'x'",
            "virtual server fwmark 'x' must be in [0, 4294967295] - ignoring",
        ],
        5,
    );
    // a bare address: port 0 needs persistence
    assert_msgs(
        &format!("virtual_server 10.0.0.1 {{\n lb_algo rr\n lb_kind DR\n protocol UDP\n{RS}\n}}\n"),
        &[
            "Virtual server [10.0.0.1]:udp:0: zero port only valid for persistent services - setting",
            "WARNING - virtual server [10.0.0.1]:udp:0 and real server [10.0.0.2]:udp:80 ports don't match - resetting",
        ],
        5,
    );
    assert_msgs(
        &format!(
            "virtual_server 10.0.0.1 0 {{\n lb_algo rr\n lb_kind NAT\n protocol UDP\n persistence_timeout\n{RS}\n}}\n"
        ),
        &[],
        0,
    );
}

#[test]
fn missing_parameters_stop_the_parse() {
    for kw in [
        "lb_algo",
        "lb_kind",
        "protocol",
        "delay_loop",
        "quorum",
        "sorry_server",
        "ip_family",
        "quorum_up",
    ] {
        let o = run(&vs_body(&format!(" {kw}")));
        assert_eq!(o.code, 2, "{kw}: {:?}", o.texts());
        assert_eq!(
            o.texts(),
            vec![format!(
                "*** Configuration line starting `{kw}` is missing a parameter after keyword `{kw}` at word position 2"
            )]
        );
    }
    let o = run("virtual_server\n");
    assert_eq!(o.code, 2);
    let o = run(&vs_with(" HTTP_GET {\n  url {\n   digest\n  }\n }"));
    assert_eq!(o.code, 2);
}

#[test]
fn virtual_server_options() {
    assert_msgs(
        &vs_body(
            " ip_family inet7\n ip_family inet6\n retry 0\n delay_before_retry x\n warmup -1\n connect_timeout 0\n delay_loop 0\n lb_algo loadbalance\n lvs_sched rr\n protocol ICMP\n protocol tcp\n smtp_alert maybe\n virtualhost\n snmp_name a b",
        ),
        &[
            "unknown address family inet7",
            "Virtual server specified family inet6 conflicts with server family",
            "number '0' outside range [1, 4294967295]",
            "retry value invalid - 0",
            // a decimal with junk is accepted as its number even under -t
            "invalid number 'x'",
            "negative number '-1'",
            "virtual server warmup '-1' invalid - ignoring",
            "number '0' outside range [0.000001, 4294.967295]",
            "virtual server connect_timeout 0 invalid - ignoring",
            "number '0' outside range [0.000001, 18446744073709.551614]",
            "virtual server delay loop '0' invalid - ignoring",
            "Invalid lvs_scheduler 'loadbalance' - ignoring",
            "Unknown protocol ICMP - ignoring",
            "Invalid virtual_server smtp_alert parameter maybe",
            "virtual server virtualhost missing",
            "virtual server snmp_name missing or extra parameters",
            "Virtual server [10.0.0.1]:tcp:80 has no real servers - ignoring",
        ],
        5,
    );
}

#[test]
fn scheduler_flags() {
    assert_msgs(
        &vs_body(" hashed\n sh-port\n lb_algo sh\n sh-port\n mh-fallback\n flag-1\n ops"),
        &[
            "hashed only applies to sh scheduler - ignoring",
            "sh-port only applies to sh scheduler - ignoring",
            "Virtual server [10.0.0.1]:none:80 has no real servers - ignoring",
        ],
        5,
    );
    // ops needs UDP
    assert_msgs(
        &vs_body(&format!(
            " lb_algo rr\n lb_kind NAT\n protocol TCP\n ops\n{RS}"
        )),
        &["Virtual server [10.0.0.1]:tcp:80: one packet scheduling requires UDP - resetting"],
        5,
    );
}

#[test]
fn forwarding_methods() {
    assert_msgs(
        &vs_body(&format!(
            " lb_algo rr\n protocol TCP\n lb_kind FNAT\n lvs_method TUN type\n lb_kind TUN type vxlan\n lb_kind TUN port\n lb_kind TUN type gue port x\n lb_kind TUN foo\n lb_kind TUN type gue\n lb_kind TUN csum\n lb_kind TUN type gre remcsum\n lb_kind TUN type gue port 6080 csum\n lb_kind NAT\n{RS}"
        )),
        &[
            "PARSER : unknown [FNAT] routing method for virtual server.",
            "Missing tunnel type for virtual server.",
            "Unknown tunnel type vxlan for virtual server.",
            "Missing port for virtual server gue tunnel.",
            "invalid number 'x'",
            "Invalid gue tunnel port x for virtual server.",
            "Invalid tunnel option foo for virtual server.",
            "gue tunnels require port, otherwise cannot have port.",
            "ipip tunnels do not support checksum option.",
            "gre tunnels do not support remote checksum option.",
        ],
        5,
    );
    // the method counts even when an option is wrong: no default-NAT message
    assert_msgs(
        &vs_body(&format!(
            " lb_algo rr\n protocol TCP\n lb_kind NAT foo\n{RS}"
        )),
        &["Invalid tunnel option foo for virtual server."],
        5,
    );
    assert_msgs(
        &vs_body(
            " lb_algo rr\n protocol TCP\n lb_kind NAT\n real_server 10.0.0.2 80 {\n  lvs_method XX\n }\n sorry_server_lvs_method DR",
        ),
        &[
            "PARSER : unknown [XX] routing method for real server.",
            "sorry_server forwarding used without sorry_server",
        ],
        5,
    );
}

#[test]
fn persistence() {
    assert_msgs(
        &vs_body(
            " persistence_timeout 0\n persistence_timeout 9999999\n persistence_engine abcdefghijklmnopq\n persistence_granularity 255.255.256.0",
        ),
        &[
            "number '0' outside range [1, 2678400]",
            "persistence_timeout invalid",
            "number '9999999' outside range [1, 2678400]",
            "persistence_timeout invalid",
            "persistence_name too long, truncating - abcdefghijklmnopq",
            "Invalid IPv4 persistence_granularity specified - 255.255.256.0",
            "Virtual server [10.0.0.1]:none:80 has no real servers - ignoring",
        ],
        5,
    );
    assert_msgs(
        "virtual_server fwmark 1 {\n persistence_granularity 129\n}\n",
        &[
            "number '129' outside range [1, 128]",
            "Invalid IPv6 persistence_granularity specified - 129",
            "Virtual server FWM 1 has no real servers - ignoring",
        ],
        5,
    );
    // granularity implies persistence: a zero port is then fine
    assert_msgs(
        &format!(
            "virtual_server 10.0.0.1 {{\n lb_algo rr\n lb_kind NAT\n protocol TCP\n persistence_granularity 255.255.255.0\n{RS}\n}}\n"
        ),
        &[],
        0,
    );
}

#[test]
fn quorum_weights_and_scripts() {
    assert_msgs(
        &vs_body(&format!(
            " lb_algo rr\n lb_kind NAT\n protocol TCP\n quorum 0\n hysteresis x\n weight 0\n quorum_up \"/bin/a\"\n quorum_up /bin/b\n{RS}"
        )),
        &[
            "number '0' outside range [1, 4294967295]",
            "Quorum 0 must be in [1, 4294967295]. Setting to 1.",
            "invalid number 'x'",
            "Hysteresis x must be in [0, 4294967295] - ignoring",
            "number '0' outside range [1, 2147483647]",
            "Virtual server weight 0 is outside range 1-2147483647",
            "((null)) quorum_up script already specified - ignoring /bin/b",
        ],
        5,
    );
    assert_msgs(
        &vs_body(
            " lb_algo rr\n lb_kind NAT\n protocol TCP\n quorum 5\n hysteresis 5\n real_server 10.0.0.2 80 {\n  weight 2\n }\n real_server 10.0.0.3 80 {\n }",
        ),
        &[
            "Warning - quorum 5 for [10.0.0.1]:tcp:80 exceeds total weight of real servers 3, reducing quorum to 3",
            "Virtual server [10.0.0.1]:tcp:80: hysteresis 5 >= quorum 3; setting hysteresis to 2",
        ],
        5,
    );
}

#[test]
fn sorry_server() {
    assert_msgs(
        &vs_body(&format!(
            " lb_algo rr\n lb_kind DR\n protocol TCP\n sorry_server_inhibit\n sorry_server 10.0.0.x 80\n sorry_server 10.0.0.9 8080\n sorry_server_inhibit\n{RS}"
        )),
        &[
            "Ignoring sorry_server inhibit used before or without sorry_server",
            "Invalid sorry server IP address 10.0.0.x - skipping",
            "WARNING - virtual server [10.0.0.1]:tcp:80 and sorry server ports don't match - resetting",
        ],
        5,
    );
    assert_msgs(
        &vs_body(
            " lb_algo rr\n lb_kind NAT\n protocol TCP\n sorry_server 10.0.0.2 80\n real_server 10.0.0.2 80 {\n  inhibit_on_failure\n }",
        ),
        &[
            "Virtual server [10.0.0.1]:tcp:80: real server [10.0.0.2]:tcp:80 matches sorry server, but inhibit setting differs, setting on sorry server",
        ],
        5,
    );
    assert_msgs(
        &vs_body(
            " lb_algo rr\n lb_kind NAT\n protocol TCP\n sorry_server 2001:db8::1 80\n real_server 10.0.0.2 80 {\n }",
        ),
        &[
            "Address family of virtual server and sorry server 2001:db8::1 don't match - skipping sorry server.",
        ],
        5,
    );
}

#[test]
fn real_server_options() {
    assert_msgs(
        &vs_body(
            " lb_algo rr\n lb_kind NAT\n protocol TCP\n real_server 10.0.0.x 80 {\n  weight 1\n }\n real_server 10.0.0.y {\n }\n real_server 2001:db8::2 80 {\n }",
        ),
        &[
            "Invalid real server ip address/port 10.0.0.x/80 - skipping",
            "Invalid real server ip address/port 10.0.0.y/(null) - skipping",
            "Address family of virtual server and real server 2001:db8::2 don't match - skipping real server.",
            "Virtual server [10.0.0.1]:tcp:80 has no real servers - ignoring",
        ],
        5,
    );
    assert_msgs(
        &vs_with(
            "  weight -1\n  uthreshold x\n  lthreshold -2\n  inhibit_on_failure maybe\n  alpha nope\n  retry 0\n  delay_before_retry x\n  warmup x\n  connect_timeout 0\n  delay_loop 0\n  smtp_alert 2\n  virtualhost\n  snmp_name\n  notify_up /bin/up\n  notify_up /bin/up2",
        ),
        &[
            "negative number '-1'",
            "Real server weight -1 is outside range 0-2147483647",
            "invalid number 'x'",
            "Invalid real_server uthreshold 'x' - ignoring",
            "negative number '-2'",
            "Invalid real_server lthreshold '-2' - ignoring",
            "Invalid inhibit_on_failure parameter maybe",
            "Invalid alpha parameter nope",
            "number '0' outside range [1, 4294967295]",
            "retry value invalid - 0",
            "invalid number 'x'",
            "invalid number 'x'",
            "number '0' outside range [0.000001, 4294.967295]",
            "real server connect_timeout 0 invalid - ignoring",
            "number '0' outside range [0.000001, 18446744073709.551614]",
            "real server delay_loop '0' invalid - ignoring",
            "Invalid real_server smtp_alert parameter 2",
            "real server virtualhost missing",
            "real server snmp_name missing or extra parameters",
            "((null)) notify_up script already specified - ignoring /bin/up2",
        ],
        5,
    );
}

#[test]
fn end_of_config_checks() {
    // no protocol, no scheduler, no forwarding method
    assert_msgs(
        &vs_body(RS),
        &[
            "Virtual server [10.0.0.1]:none:80: no protocol set - defaulting to UDP",
            "Virtual server [10.0.0.1]:udp:80: no scheduler set, setting default 'wlc'",
            "Virtual server [10.0.0.1]:udp:80: no forwarding method set, setting default NAT",
        ],
        5,
    );
    // fwmark: protocol ignored, ha_suspend cleared, DR real server ports cleared
    assert_msgs(
        "virtual_server fwmark 7 {\n lb_algo rr\n lb_kind DR\n protocol TCP\n ha_suspend\n real_server 10.0.0.2 80 {\n }\n}\n",
        &[
            "Virtual server FWM 7: cannot use ha_suspend with fwmarks - clearing ha_suspend",
            "Warning: Virtual server FWM 7: protocol specified for fwmark - protocol will be ignored",
            "WARNING - fwmark virtual server FWM 7, real server [10.0.0.2]:none:80 has port specified - clearing",
        ],
        5,
    );
    // duplicate real server, DR port mismatch
    assert_msgs(
        &vs_body(
            " lb_algo rr\n lb_kind DR\n protocol TCP\n real_server 10.0.0.2 8080 {\n }\n real_server 10.0.0.2 8080 {\n }\n real_server 10.0.0.3 {\n }",
        ),
        &[
            "VS [10.0.0.1]:tcp:80: real server [10.0.0.2]:tcp:8080 is duplicated - removing second rs",
            "WARNING - virtual server [10.0.0.1]:tcp:80 and real server [10.0.0.2]:tcp:8080 ports don't match - resetting",
        ],
        5,
    );
    // NAT real servers may use another port
    assert_msgs(
        &vs_body(" lb_algo rr\n lb_kind NAT\n protocol TCP\n real_server 10.0.0.2 8080 {\n }"),
        &[],
        0,
    );
}

#[test]
fn virtual_server_groups() {
    let text = "virtual_server_group G {\n 10.0.0.1 80\n 10.0.1.0/24 80\n 10.0.2.1-10 80\n fwmark 5\n}\nvirtual_server group G {\n lb_algo rr\n lb_kind DR\n protocol TCP\n real_server 10.0.0.2 81 {\n }\n}\n";
    assert_msgs(
        text,
        &[
            "WARNING - fwmark virtual server [G]:0, real server [10.0.0.2]:tcp:81 has port specified - port will be ignored",
            "virtual server [G]:0:[10.0.0.1,80] and real server [10.0.0.2]:tcp:81 ports don't match",
            "virtual server [G]:0:[10.0.1.0-10.0.1.255,80] and real server [10.0.0.2]:tcp:81 ports don't match",
            "virtual server [G]:0:[10.0.2.1-10.0.2.10,80] and real server [10.0.0.2]:tcp:81 ports don't match",
        ],
        5,
    );
    assert_msgs(
        "virtual_server_group E {\n}\nvirtual_server_group M {\n 10.0.0.1 80\n 2001:db8::1 80\n fwmark 1\n}\n",
        &[
            "virtual server group E has no entries - removing",
            "virtual server group M cannot have IPv4, IPv6 and fwmark without family - removing",
        ],
        5,
    );
    assert_msgs(
        "virtual_server_group G {\n fwmark x\n fwmark 5 inet4\n 10.0.0.x 80\n 10.0.0.1 http\n 10.0.0.0/33 80\n 10.0.0.1/24 80\n 10.0.0.5-10.0.0.1 80\n 10.0.0.1-2001:db8::1 80\n 10.0.0.5-3 80\n 10.0.0.5-300\n 10.0.0.5-7x\n 10.0.0.1 0\n}\n",
        &[
            "invalid number 'x'",
            "(G): fwmark 'x' must be in [0, 4294967295] - ignoring",
            "(G): fwmark '5' family inet4 unknown - ignoring",
            "Invalid virtual server group IP address 10.0.0.x /port/80 - skipping",
            "invalid number 'http'",
            "Invalid virtual server group IP address 10.0.0.1 /port/http - skipping",
            "Invalid netmask - 10.0.0.0/33 - skipping",
            "Address mask bits not empty - 10.0.0.1/24 - skipping",
            "Address range end is less than address range start - 10.0.0.5-10.0.0.1 - skipping",
            // a ':' anywhere makes the whole entry IPv6
            "Invalid virtual server group IP address 10.0.0.1-2001:db8::1 /port/80 - skipping",
            "Address range end is not greater than address range start - 10.0.0.5-3 - skipping",
            "Virtual server group range '10.0.0.5-300' end '300' too large",
            "Virtual server group range '10.0.0.5-7x' has extra characters at end 'x'",
        ],
        5,
    );
    // extra words on the group line: keepalived prints a NULL word and exits
    let o = run("virtual_server_group G extra {\n 10.0.0.1 80\n}\n");
    assert_eq!(o.code, 2);
    assert_eq!(
        o.texts(),
        vec![
            "*** Configuration line starting `***MISSING ***` is missing a parameter at word position 1"
        ]
    );
    let o = run("virtual_server_group G\n 10.0.0.1 80\n}\n");
    assert_eq!(o.code, 2);
    // an unknown group: the virtual server is dropped (logged only)
    assert_msgs(&format!("virtual_server group NOPE {{\n{RS}\n}}\n"), &[], 0);
}

#[test]
fn checker_connection_options() {
    assert_msgs(
        &vs_with(
            "  TCP_CHECK {\n   connect_ip 10.0.0.x\n   connect_port 0\n   bindto 2001:db8::1\n   bind_port x\n   bind_if abcdefghijklmnop\n   connect_timeout 0\n   fwmark -1\n   retry x\n   delay_before_retry x\n   warmup x\n   delay_loop 0\n   alpha x\n   log_all_failures x\n  }",
        ),
        &[
            "Invalid connect_ip address 10.0.0.x - ignoring",
            "number '0' outside range [1, 65535]",
            "Invalid checker connect_port '0'",
            "invalid number 'x'",
            "Invalid checker bind_port 'x'",
            "Interface name abcdefghijklmnop is too long - ignoring",
            "number '0' outside range [0.000001, 4294.967295]",
            "connect_timeout 0 invalid - ignoring",
            "negative number '-1'",
            "Invalid fwmark connection value '-1'",
            "invalid number 'x'",
            "Invalid retry connection value 'x'",
            "invalid number 'x'",
            "invalid number 'x'",
            "number '0' outside range [0.000001, 18446744073709.551614]",
            "delay_loop '0' is invalid - ignoring",
            "Invalid alpha parameter x",
            "Invalid log_all_failures parameter x",
        ],
        5,
    );
    assert_msgs(
        &vs_with(
            "  PING_CHECK {\n   connect_ip 10.0.0.3\n   bindto 2001:db8::1\n  }\n  UDP_CHECK {\n   bindto 10.0.0.3\n   connect_ip 2001:db8::1\n  }",
        ),
        &[
            "bindto address 2001:db8::1 does not match address family of connect_ip - skipping",
            "connect_ip address 2001:db8::1 does not match address family of bindto - skipping",
        ],
        5,
    );
    // link-local checker targets need bind_if
    let t = "virtual_server fe80::1 80 {\n lb_algo rr\n lb_kind NAT\n protocol TCP\n real_server fe80::2 80 {\n  TCP_CHECK {\n  }\n  DNS_CHECK {\n   bind_if eth0\n  }\n }\n}\n";
    assert_msgs(
        t,
        &["Checker link local address fe80::2 requires a bind_if"],
        5,
    );
}

#[test]
fn http_checkers() {
    assert_msgs(
        &vs_with(
            "  HTTP_GET {\n   nb_get_retry 3\n   nb_get_retry x\n   virtualhost\n   http_protocol\n   http_protocol 2.0\n   http_protocol 1.0C\n   enable_sni x\n   fast_recovery x\n   url {\n    path /\n    digest 1234\n    digest 0123456789abcdef0123456789abcdeg\n    digest 0123456789abcdef0123456789abcdef\n    digest 0123456789abcdef0123456789abcdef\n    status_code 200 300-399 99 200-100 20x\n    virtualhost\n    regex \"a b\" c\n    regex_no_match\n   }\n   url {\n    digest 0123456789abcdef0123456789abcdef\n   }\n  }\n  SSL_GET {\n  }",
        ),
        &[
            "nb_get_retry is deprecated - please use 'retry'",
            "nb_get_retry is deprecated - please use 'retry'",
            "invalid number 'x'",
            "Invalid nb_get_retry value 'x'",
            "HTTP_GET virtualhost name missing",
            "Missing http_protocol version",
            "Invalid http_protocol version 2.0",
            "Invalid enable_sni parameter x",
            "Invalid fast_recovery parameter x",
            "digest '1234' character length should be 32 rather than 4",
            "Unable to interpret hex digit in '0123456789abcdef0123456789abcdeg' at offset 30/31",
            "Digest '0123456789abcdef0123456789abcdef' is a duplicate",
            "Invalid HTTP_GET status code '99'",
            "Invalid HTTP_GET status code '200-100'",
            "Invalid HTTP_GET status code '20x'",
            "Missing HTTP_GET virtualhost name",
            "HTTP/SSL_GET checker url has no path - ignoring",
            "HTTP/SSL_GET checker has no urls specified - ignoring",
        ],
        5,
    );
    assert_msgs(
        &vs_with(
            "  HTTP_GET {\n   url {\n    path /x\n    digest 0123456789ABCDEF0123456789abcdef\n    status_code 200-299\n   }\n  }",
        ),
        &[],
        0,
    );
}

#[test]
fn misc_checks_and_script_security() {
    let mut host = FakeHost::with_interfaces(&["eth0"]);
    host.files.push((
        PathBuf::from("/usr/bin/check"),
        crate::config::host::Owner {
            uid: 0,
            gid: 0,
            mode: 0o100755,
        },
    ));
    host.files.push((
        PathBuf::from("/tmp/w/check"),
        crate::config::host::Owner {
            uid: 0,
            gid: 0,
            mode: 0o100757,
        },
    ));
    let misc = |body: &str| vs_with(&format!("  MISC_CHECK {{\n{body}\n  }}"));
    // an existing script without script security: exit 6
    let o = run_host(
        &misc("   misc_path \"/usr/bin/check -x\"\n   misc_timeout 5"),
        host.clone(),
    );
    assert_eq!(
        lvs_msgs(&o),
        vec![
            "SECURITY VIOLATION - check scripts are being executed but script_security not enabled."
        ]
    );
    assert_eq!(o.class_of(lvs_msgs(&o)[0]), Some(ErrClass::SecurityError));
    assert_eq!(o.code, 6);
    // found by PATH search
    let o = run_host(&misc("   misc_path check"), host.clone());
    assert_eq!(o.code, 6);
    // insecure (world-writable) script
    let o = run_host(&misc("   misc_path /tmp/w/check"), host.clone());
    assert_eq!(
        lvs_msgs(&o),
        vec![
            "SECURITY VIOLATION - check scripts are being executed but script_security not enabled. There are insecure scripts."
        ]
    );
    // a script that does not exist is not run: no violation
    let o = run_host(&misc("   misc_path /usr/bin/none"), host.clone());
    assert_eq!(o.code, 0, "{:?}", o.texts());
    // with script security: no violation
    let o = run_host(
        &format!(
            "global_defs {{\n enable_script_security\n script_user root\n}}\n{}",
            misc("   misc_path /usr/bin/check")
        ),
        host.clone(),
    );
    assert_eq!(lvs_msgs(&o), Vec::<&str>::new());
    // notify and quorum scripts count too
    let o = run_host(
        &vs_body(
            " lb_algo rr\n lb_kind NAT\n protocol TCP\n quorum_up /usr/bin/check\n real_server 10.0.0.2 80 {\n }",
        ),
        host.clone(),
    );
    assert_eq!(o.code, 6);
    // ... unless their virtual server is dropped
    let o = run_host(
        &vs_body(" lb_algo rr\n lb_kind NAT\n protocol TCP\n quorum_up /usr/bin/check"),
        host.clone(),
    );
    assert_eq!(o.code, 5);
    assert!(!o.texts().iter().any(|m| m.starts_with("SECURITY")));

    assert_msgs(
        &misc("   misc_timeout x\n   user\n   user nobody_here\n   misc_path /bin/x"),
        &[
            "invalid number 'x'",
            "Invalid misc_timeout value 'x'",
            "No user specified for misc checker script ",
            "Failed to set uid/gid for misc checker script  - removing",
        ],
        5,
    );
    assert_msgs(
        &misc("   misc_path \"/bin/x a\"\n   user root nogroup"),
        &["Failed to set uid/gid for misc checker script '/bin/x' 'a' - removing"],
        5,
    );
    assert_msgs(
        &misc("   misc_dynamic"),
        &["No script path has been specified for MISC_CHECKER - skipping"],
        5,
    );
    // (keepalived 2.2.7 crashes on this one)
    let o = run(&misc("   misc_path \"/bin/x"));
    assert!(
        o.has("String 'misc_path \"/bin/x': missing terminating \""),
        "{:?}",
        o.texts()
    );
    assert_eq!(o.code, 5);
    assert_eq!(o.death.map(|d| d.signal), Some(11));
}

#[test]
fn script_checked_as_another_user_kills_keepalived() {
    let mut host = FakeHost::with_interfaces(&["eth0"]);
    host.users.push(("nobody".into(), 65534, 65534));
    let t = vs_with("  MISC_CHECK {\n   misc_path \"/nonexistent/x a\"\n   user nobody\n  }");
    let o = run_host(&t, host.clone());
    assert_eq!(lvs_msgs(&o), Vec::<&str>::new());
    assert!(
        o.death
            .as_ref()
            .is_some_and(|d| d.signal == 15 && d.why.contains("/nonexistent/x")),
        "{:?}",
        o.death
    );
    // a bare name not found in PATH is never checked further
    let o = run_host(
        &vs_with("  MISC_CHECK {\n   misc_path nothere\n   user nobody\n  }"),
        host.clone(),
    );
    assert_eq!(o.death, None);
    let o = run_host(&vs_with("  MISC_CHECK {\n   misc_path /bin/x\n  }"), host);
    assert_eq!(o.death, None);
}

#[test]
fn default_script_user_under_script_security() {
    // keepalived_script does not exist, no script_user: scripts cannot run
    let t = format!(
        "global_defs {{\n enable_script_security\n}}\n{}",
        vs_with("  MISC_CHECK {\n   misc_path /bin/x\n  }\n  notify_up /bin/up")
    );
    assert_msgs(
        &t,
        &[
            "Unable to set default user keepalived_script for script",
            "Unable to set default user for misc script '/bin/x' - removing",
        ],
        5,
    );
    // notify scripts are only logged
    let t = format!(
        "global_defs {{\n enable_script_security\n}}\n{}",
        vs_with("  notify_up /bin/up\n  notify_down /bin/down")
    );
    assert_msgs(
        &t,
        &["Unable to set default user keepalived_script for script"],
        5,
    );
}

#[test]
fn smtp_dns_udp_checks() {
    assert_msgs(
        &vs_with(
            "  SMTP_CHECK {\n   helo_name\n   host {\n    connect_ip fe80::1\n   }\n   host {\n    connect_ip 10.0.0.5\n   }\n  }\n  DNS_CHECK {\n   type XX\n   type aaaa\n   name a.example.com\n   name www.example.com\n   name again\n  }\n  UDP_CHECK {\n   payload\n   payload 0g\n   payload 01 02\n   require_reply\n   require_reply xz\n   require_reply 0x\n   min_reply_length 70000\n   max_reply_length x\n   min_reply_length 10\n   max_reply_length 5\n  }",
        ),
        &[
            "SMTP_CHECK helo name missing",
            "Checker link local address fe80::1 requires a bind_if",
            "Unknown DNS check type XX - ignoring",
            "DNS_CHECK name 'a.example.com' has empty label - ignoring",
            "DNS_CHECK name already specified - ignoring",
            "UDP_CHECK payload requires a payload",
            "Invalid hex string for UDP_CHECK payload",
            "Invalid hex string for UDP_CHECK reply",
            "number '70000' outside range [0, 65535]",
            "UDP_CHECK min length 70000 not valid - must be between 0 & 65535",
            "invalid number 'x'",
            "UDP_CHECK max length x not valid - must be between 0 & 65535",
            "UDP_CHECK min_reply length 10 > max_reply_length 5 - will always fail",
        ],
        5,
    );
}

#[test]
fn file_and_bfd_checks() {
    assert_msgs(
        &vs_with(
            "  FILE_CHECK {\n   track_file nope\n   weight\n   weight x\n   weight 5 sideways\n  }",
        ),
        &[
            "track_file nope not found",
            "track file weight missing",
            "invalid number 'x'",
            "weight for track file must be in [-2147483647..2147483647] inclusive. Ignoring...",
            "unknown track file weight option sideways - ignoring",
            "FILE_CHECK has no track_file specified - ignoring",
        ],
        5,
    );
    let t = format!(
        "bfd_instance B1 {{\n neighbor_ip 10.0.0.2\n}}\nbfd_instance B2 {{\n neighbor_ip 10.0.0.3\n vrrp\n}}\n{}",
        vs_with(
            "  BFD_CHECK {\n   name B1\n   name B1\n  }\n  BFD_CHECK {\n   name B1\n  }\n  BFD_CHECK {\n   name B1\n  }\n  BFD_CHECK {\n   name B2\n  }\n  BFD_CHECK {\n   alpha x\n  }\n  BFD_CHECK {\n   name\n  }"
        )
    );
    assert_msgs(
        &t,
        &[
            "([10.0.0.2]:tcp:80) BFD_CHECK - BFD B1 already specified as B1",
            "([10.0.0.2]:tcp:80) BFD_CHECK - RS already monitoring B1",
            "([10.0.0.2]:tcp:80) BFD_CHECK - BFD B2 not configured",
            "Invalid alpha parameter x",
            "([10.0.0.2]:tcp:80) No name has been specified for BFD_CHECKER - skipping",
            "([10.0.0.2]:tcp:80) BFD_CHECK - No or too many names specified - skipping checker",
        ],
        5,
    );
}

#[test]
fn bfd_instances() {
    let o = run(
        "bfd_instance A {\n neighbor_ip 10.0.0.2\n source_ip 10.0.0.1\n min_rx 0\n min_tx 5000000\n idle_tx 10\n multiplier 0\n ttl 0\n hoplimit 300\n max_hops -2\n max_hops 100\n ttl 50\n weight 300 forward\n passive\n}\n",
    );
    assert_eq!(
        lvs_msgs(&o),
        vec![
            "number '0' outside range [1.000, 4294967.000]",
            "Configuration error: BFD instance A min_rx value 0 is not valid (must be in range [1-4294967]), ignoring",
            "number '5000000' outside range [1.000, 4294967.000]",
            "Configuration error: BFD instance A min_tx value 5000000 is not valid (must be in range [1-4294967]), ignoring",
            "number '10' outside range [1000.000, 4294967.000]",
            "Configuration error: BFD instance A idle_tx value 10 is not valid (must be in range [1000-4294967]), ignoring",
            "number '0' outside range [1, 255]",
            "Configuration error: BFD instance A multiplier value 0 not valid (must be in range [1-255]), ignoring",
            "number '0' outside range [1, 255]",
            "Configuration error: BFD instance A ttl/hoplimit value 0 not valid (must be in range [1-255]), ignoring",
            "number '300' outside range [1, 255]",
            "Configuration error: BFD instance A ttl/hoplimit value 300 not valid (must be in range [1-255]), ignoring",
            "number '-2' outside range [-1, 255]",
            "Configuration error: BFD instance A max_hops value -2 not valid (must be in range [-1-255]), ignoring",
            "number '300' outside range [-253, 253]",
            "Configuration error: BFD instance A weight value 300 not valid (must be in range [-253-253]), ignoring",
            "Configuration error: BFD instance A unknown weight option forward",
            "BFD instance A: max_hops exceeds ttl/hoplimit - setting to ttl/hoplimit",
        ]
    );
    assert_msgs(
        "bfd_instance A {\n}\nbfd_instance B {\n neighbor_ip 10.0.0.x\n min_rx 0\n}\nbfd_instance C {\n neighbor_ip 10.0.0.2\n source_ip 2001:db8::1\n}\nbfd_instance D {\n neighbor_ip 10.0.0.2\n}\nbfd_instance E {\n neighbor_ip 10.0.0.2\n}\nbfd_instance E {\n neighbor_ip 10.0.0.3\n}\nbfd_instance F {\n neighbour_ip 10.0.0.9\n source_ip x\n}\n",
        &[
            "Configuration error: BFD instance A has no neighbor address set, disabling instance",
            "Configuration error: BFD instance B has malformed neighbor address 10.0.0.x, ignoring instance",
            "Configuration error: BFD instance C source address 2001:db8::1 and neighbor address 2001:db8::1 are not of the same family, disabling instance",
            "Configuration error: BFD instance E has duplicate neighbor address 10.0.0.2, ignoring instance",
            "BFD E already specified",
            "BFD E already specified",
            "Configuration error: BFD instance F has malformed source address x, ignoring",
        ],
        5,
    );
    let long = "b".repeat(32);
    assert_msgs(
        &format!("bfd_instance {long} {{\n neighbor_ip 10.0.0.2\n}}\n"),
        &[
            &format!("BFD name {long} too long"),
            &format!(
                "Configuration error: BFD instance {long} name too long (maximum length is 31 characters) - ignoring"
            ),
        ],
        5,
    );
    // the VRRP side sees the names (unless restricted to the checker)
    let mut fs = MemFs::new();
    fs.add("/k.conf", "bfd_instance A {\n neighbor_ip 10.0.0.2\n}\nbfd_instance B {\n neighbor_ip 10.0.0.3\n checker\n}\n");
    let opts = ReadOptions {
        cwd: PathBuf::from("/"),
        ..Default::default()
    };
    let mut r = Reader::new(&fs, &opts);
    r.open_main("/k.conf");
    let mut c = Ctx::new(&mut r, State::new(Rc::new(FakeHost::default())), true);
    c.run(root_table());
    assert_eq!(c.state.bfd_names, vec!["A"]);
    assert_eq!(c.state.cfg.bfd_blocks, 2);
    // a missing neighbor address: keepalived 2.2.7's BFD pass crashes
    let o = run("bfd_instance A {\n neighbor_ip\n}\n");
    assert_eq!(o.death.map(|d| d.signal), Some(11));
}

#[test]
fn where_keepalived_crashes() {
    let sig = |t: &str| run(t).death.map(|d| d.signal);
    assert_eq!(sig("virtual_server group {\n}\n"), Some(11));
    assert_eq!(sig("virtual_server fwmark {\n}\n"), Some(11));
    assert_eq!(sig("bfd_instance {\n}\n"), Some(11));
    assert_eq!(sig(&vs_with("  HTTP_GET {\n  }")), Some(11));
    assert_eq!(
        sig(&vs_with(
            "  MISC_CHECK {\n   misc_path /bin/true\n  }\n  HTTP_GET {\n  }"
        )),
        Some(11)
    );
    assert_eq!(
        sig(&vs_with("  HTTP_GET {\n   url {\n    regex \"x\n   }\n  }")),
        Some(11)
    );
    // the checker before has connection options: only the message
    let o = run(&vs_with(
        "  TCP_CHECK {\n  }\n  MISC_CHECK {\n  }\n  HTTP_GET {\n  }",
    ));
    assert_eq!(o.death, None);
    assert_eq!(
        lvs_msgs(&o),
        vec![
            "No script path has been specified for MISC_CHECKER - skipping",
            "HTTP/SSL_GET checker has no urls specified - ignoring"
        ]
    );
    assert_eq!(o.code, 5);
    assert_eq!(run(&vs_with("  TCP_CHECK {\n  }")).death, None);
}

#[test]
fn misparse_after_unknown_block_is_keepalived_s() {
    // the '}' of an unknown block closes the real_server; the rest is read
    // one level up, as keepalived's checker does
    let o = run(&vs_body(
        " lb_algo rr\n lb_kind NAT\n protocol TCP\n real_server 10.0.0.2 80 {\n  foo {\n  }\n  notify_up\n }",
    ));
    assert_eq!(
        lvs_msgs(&o),
        vec![
            "Unknown keyword 'foo'",
            "Unexpected '{' - ignoring",
            "NOTE: this '}' closes the unknown block opened on line 6, but keepalived ends `real_server` (line 5) here: the rest of `real_server` is read outside it and its keywords are lost",
            "Unknown keyword 'notify_up'",
            "Unknown keyword '}'"
        ]
    );
    assert_eq!(o.code, 5);
}
