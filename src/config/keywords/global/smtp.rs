//! SMTP alerts, SNMP and DBus (parsed and validated; no effect in this build).

#[allow(unused_imports)]
use super::*;

// SMTP

pub(super) fn router_id(c: &mut C<'_, '_>, w: &[String]) {
    match w.get(1) {
        Some(v) => g(c).router_id = Some(v.clone()),
        None => general(c, "routerid name missing - ignoring".into()),
    }
}

pub(super) fn notification_email_from(c: &mut C<'_, '_>, w: &[String]) {
    match w.get(1) {
        Some(v) => g(c).notification_email_from = Some(v.clone()),
        None => general(c, "emailfrom missing - ignoring".into()),
    }
}

pub(super) fn smtp_server(c: &mut C<'_, '_>, w: &[String]) {
    let Some(host) = c.arg(w, 1) else { return };
    let port_str = w.get(2).map_or("25", String::as_str);
    let mut port = None;
    let mut ok = false;
    // It can't be an IP address if it contains '-' or '/'.
    let try_domain = if host.contains(['-', '/']) {
        true
    } else {
        // inet_stosockaddr reads the port first, then the address.
        port = read_unsigned(c, port_str, 1, 65535, true);
        ok = port.is_some() && inet_pton_ka(host).is_some();
        !ok
    };
    if try_domain {
        port = read_unsigned(c, port_str, 1, 65535, true);
        ok = port.is_some() && c.state.host.resolves(host);
    }
    if ok {
        let g = g(c);
        g.smtp_server = Some(host.to_string());
        g.smtp_port = port.unwrap_or(25) as u16;
    } else {
        g(c).smtp_server = None;
        c.err(ErrClass::GeneralError, format!("Invalid smtp server {host} {port_str}"))
            .help("the server must be an IP address or a name this host can resolve now, and the port 1..65535");
    }
}

pub(super) fn smtp_helo_name(c: &mut C<'_, '_>, w: &[String]) {
    if let Some(v) = w.get(1) {
        g(c).smtp_helo_name = Some(v.clone());
    }
}

pub(super) fn smtp_connect_timeout(c: &mut C<'_, '_>, w: &[String]) {
    let Some(v) = c.arg(w, 1) else { return };
    // The minimum should be 1, but keepalived allows 0 for compatibility.
    let Some(mut t) = read_unsigned(c, v, 0, MAX_SECS, true) else {
        general(
            c,
            format!("smtp_connect_timeout '{v}' must be in [0, {MAX_SECS}] - ignoring"),
        );
        return;
    };
    if t == 0 {
        // keepalived's spelling.
        general(
            c,
            "smtp_conect_timeout must be greater than 0, setting to 1".into(),
        );
        t = 1;
    }
    g(c).smtp_connect_timeout_s = Some(t as u32);
}

pub(super) fn notification_email(c: &mut C<'_, '_>, w: &[String]) {
    // Every word of every line of the block is one address.
    let addrs: Vec<String> = c.value_block(w).into_iter().flatten().collect();
    if addrs.is_empty() {
        general(c, "Warning - empty notification_email block".into());
        return;
    }
    g(c).notification_email.extend(addrs);
}

// SNMP, DBus, scripts

pub(super) fn snmp_socket(c: &mut C<'_, '_>, w: &[String]) {
    if w.len() > 2 {
        general(
            c,
            "Too many parameters specified for snmp_socket - ignoring".into(),
        );
        return;
    }
    let Some(v) = w.get(1) else {
        general(c, "SNMP error : snmp socket name missing".into());
        return;
    };
    if v.len() > PATH_MAX - 1 {
        general(c, "SNMP error : snmp socket name too long - ignored".into());
        return;
    }
    if let Some(old) = g(c).snmp_socket.clone() {
        general(c, format!("SNMP socket already set to {old} - ignoring"));
        return;
    }
    g(c).snmp_socket = Some(v.clone());
}

pub(super) fn dbus_service_name(c: &mut C<'_, '_>, w: &[String]) {
    match w.get(1) {
        Some(v) => g(c).dbus_service_name = Some(v.clone()),
        None => general(c, "dbus_service_name missing - ignoring".into()),
    }
}

pub(super) fn script_user(c: &mut C<'_, '_>, w: &[String]) {
    let Some(user) = w.get(1) else {
        general(c, "No script username specified".into());
        return;
    };
    let group = w.get(2);
    g(c).script_user = Some((user.clone(), group.cloned()));
    if set_default_script_user(c, user, group.map(String::as_str)) {
        c.err(ErrClass::GeneralError, "Error setting global script uid/gid")
            .help("the user (and group) must exist on this host; scripts without a user of their own will not run");
    }
}
