//! Which `Host` headers the preview answers: the defence against DNS
//! rebinding. A web page the author visits can point its own name (say
//! `evil.example`) at 127.0.0.1 once the page has loaded; the browser then
//! treats the preview as that page's own origin and lets it read every page,
//! drafts included. The browser still sends `Host: evil.example`, so the
//! server answers only names that cannot be re-pointed (IP literals,
//! `localhost`, `*.localhost`, which browsers resolve to loopback
//! themselves) and the names the author allowed with `--allow-host`.
//!
//! The port in `Host` is not checked: a rebinding page uses the preview's
//! own port anyway, and a port forward or SSH tunnel (`-L 9000:localhost:1111`)
//! legitimately shows another one.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// The hosts one server answers.
#[derive(Debug, Clone)]
pub(crate) struct AllowedHosts {
    /// The address listened on. Unspecified (`0.0.0.0`, `::`) accepts every
    /// IP literal: the machine's addresses are not known in advance, and
    /// rebinding needs a name, never an IP literal.
    bound: IpAddr,
    /// IP literals given with `--allow-host`.
    ips: Vec<IpAddr>,
    /// Names given with `--allow-host`, and `--bind` when it is a name
    /// (the URL the server prints uses it): lowercase, no trailing dot.
    names: Vec<String>,
}

/// Why a request's Host was not answered.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Refused {
    /// Absent on HTTP/1.1, repeated, or not a host at all: 400.
    Malformed,
    /// A well-formed host that is not this preview's: 403, naming it.
    Foreign(String),
}

/// A parsed `Host` value (or `--allow-host` value), port dropped.
#[derive(Debug, PartialEq, Eq)]
enum Host {
    Ip(IpAddr),
    Name(String),
}

impl AllowedHosts {
    /// For a server listening on `bound`, started with `--bind bind` and
    /// `--allow-host` for each of `allow`. Errs with the first `allow`
    /// value that is not a host (a URL, or a name with a port).
    pub(crate) fn new(bound: IpAddr, bind: &str, allow: &[String]) -> Result<Self, String> {
        let mut hosts = AllowedHosts {
            bound,
            ips: Vec::new(),
            names: Vec::new(),
        };
        if let Some(Host::Name(name)) = parse(bind, false) {
            hosts.names.push(name);
        }
        for value in allow {
            match parse(value.trim(), false) {
                Some(Host::Ip(ip)) => hosts.ips.push(ip),
                Some(Host::Name(name)) => hosts.names.push(name),
                None => return Err(value.clone()),
            }
        }
        Ok(hosts)
    }

    /// Whether a request with this `Host` header (None: absent) is answered.
    /// `http11`: an HTTP/1.1 request, which must carry one; HTTP/1.0 tools
    /// may leave it out, and browsers, the only rebinding vector, never do.
    pub(crate) fn check(&self, host: Option<&str>, http11: bool) -> Result<(), Refused> {
        let Some(value) = host else {
            return if http11 {
                Err(Refused::Malformed)
            } else {
                Ok(())
            };
        };
        match parse(value.trim(), true) {
            None => Err(Refused::Malformed),
            Some(Host::Ip(ip)) if self.allows_ip(ip) => Ok(()),
            Some(Host::Name(name)) if self.allows_name(&name) => Ok(()),
            Some(Host::Ip(ip)) => Err(Refused::Foreign(match ip {
                IpAddr::V6(v6) => format!("[{v6}]"),
                IpAddr::V4(v4) => v4.to_string(),
            })),
            Some(Host::Name(name)) => Err(Refused::Foreign(name)),
        }
    }

    fn allows_ip(&self, ip: IpAddr) -> bool {
        self.bound.is_unspecified()
            || ip == self.bound
            || ip == IpAddr::V4(Ipv4Addr::LOCALHOST)
            || ip == IpAddr::V6(Ipv6Addr::LOCALHOST)
            || self.ips.contains(&ip)
    }

    fn allows_name(&self, name: &str) -> bool {
        name == "localhost" || name.ends_with(".localhost") || self.names.iter().any(|n| n == name)
    }
}

/// `name`, `name:port`, `1.2.3.4[:port]` or `[v6][:port]`; None when it is
/// none of these (or carries a port where `port_ok` is false).
fn parse(value: &str, port_ok: bool) -> Option<Host> {
    if let Some(rest) = value.strip_prefix('[') {
        let (inside, after) = rest.split_once(']')?;
        let port = match after {
            "" => None,
            p => Some(p.strip_prefix(':')?),
        };
        if !port_valid(port, port_ok) {
            return None;
        }
        return inside
            .parse::<Ipv6Addr>()
            .ok()
            .map(|ip| Host::Ip(IpAddr::V6(ip)));
    }
    let (host, port) = match value.split_once(':') {
        Some((h, p)) => (h, Some(p)),
        None => (value, None),
    };
    if !port_valid(port, port_ok) {
        return None;
    }
    if let Ok(ip) = host.parse::<Ipv4Addr>() {
        return Some(Host::Ip(IpAddr::V4(ip)));
    }
    let name = host.strip_suffix('.').unwrap_or(host).to_ascii_lowercase();
    let valid = !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_'));
    valid.then_some(Host::Name(name))
}

/// No port, or (where allowed) one to five digits.
fn port_valid(port: Option<&str>, port_ok: bool) -> bool {
    match port {
        None => true,
        Some(p) => port_ok && (1..=5).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_digit()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hosts(bound: &str, bind: &str, allow: &[&str]) -> AllowedHosts {
        let allow: Vec<String> = allow.iter().map(|s| s.to_string()).collect();
        AllowedHosts::new(bound.parse().unwrap(), bind, &allow).unwrap()
    }

    #[test]
    fn loopback_names_and_literals_are_answered() {
        let h = hosts("127.0.0.1", "127.0.0.1", &[]);
        for ok in [
            "localhost",
            "localhost:1111",
            "LOCALHOST:1111",
            "localhost.",
            "preview.localhost:1111",
            "127.0.0.1",
            "127.0.0.1:1111",
            "[::1]:1111",
            "[::1]",
        ] {
            assert_eq!(h.check(Some(ok), true), Ok(()), "{ok}");
        }
        for foreign in [
            "evil.example",
            "evil.example:1111",
            "localhost.evil.example",
            "evillocalhost",
            "127.0.0.1.nip.io",
            "192.168.1.5",
        ] {
            assert!(
                matches!(h.check(Some(foreign), true), Err(Refused::Foreign(_))),
                "{foreign}"
            );
        }
        assert_eq!(
            h.check(Some("Evil.Example.:80"), true),
            Err(Refused::Foreign("evil.example".into()))
        );
    }

    #[test]
    fn a_missing_or_malformed_host_is_a_bad_request() {
        let h = hosts("127.0.0.1", "127.0.0.1", &[]);
        assert_eq!(h.check(None, true), Err(Refused::Malformed));
        assert_eq!(h.check(None, false), Ok(()), "HTTP/1.0 may leave it out");
        for bad in [
            "",
            "::1",
            "[::1",
            "[::1]x",
            "localhost:",
            "localhost:abc",
            "localhost:123456",
            "a b",
            "user@localhost",
            "localhost/x",
            "[evil.example]",
        ] {
            assert_eq!(h.check(Some(bad), true), Err(Refused::Malformed), "{bad}");
        }
    }

    #[test]
    fn an_unspecified_bind_answers_any_ip_literal_but_names_only_from_the_list() {
        let h = hosts("0.0.0.0", "0.0.0.0", &["Preview.LAN", "10.0.0.9"]);
        for ok in [
            "192.168.1.5:1111",
            "10.1.2.3",
            "[fe80::1]:1111",
            "preview.lan:1111",
            "localhost",
        ] {
            assert_eq!(h.check(Some(ok), true), Ok(()), "{ok}");
        }
        assert!(h.check(Some("other.lan"), true).is_err());
        // Bound to one address: that one, loopback, and what was allowed.
        let h = hosts("192.168.1.5", "192.168.1.5", &["10.0.0.9"]);
        assert_eq!(h.check(Some("192.168.1.5:1111"), true), Ok(()));
        assert_eq!(h.check(Some("10.0.0.9"), true), Ok(()));
        assert!(h.check(Some("192.168.1.6"), true).is_err());
    }

    #[test]
    fn the_bind_name_is_answered_and_allow_host_takes_hosts_only() {
        let h = hosts("127.0.0.1", "myhost.lan", &[]);
        assert_eq!(h.check(Some("myhost.lan:1111"), true), Ok(()));
        for bad in ["http://preview.lan", "preview.lan:1111", "", "preview.lan/"] {
            assert_eq!(
                AllowedHosts::new(
                    "127.0.0.1".parse().unwrap(),
                    "127.0.0.1",
                    &[bad.to_string()]
                )
                .map(|_| ()),
                Err(bad.to_string()),
                "{bad}"
            );
        }
    }
}
