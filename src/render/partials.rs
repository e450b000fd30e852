//! `partial(name=…, …)`: a template function that renders a partial once
//! per distinct set of arguments in a build and hands every later call the
//! same HTML, as Hugo's `partialCached` does. An actor page lists some 80
//! analysis cards, and the same card appears on every page of the actors,
//! events, sources, tags and authors it belongs to: rendered by `include`,
//! a build at N = 10,000 ran the card template 400,000 times for 10,000
//! distinct cards.
//!
//! Unlike `include`, the partial does not see the page that calls it: its
//! context is the site-wide one (`site`, `t`) and the arguments given.
//! That is what makes the result shareable. Every argument is part of the
//! key (Hugo's key is only the variants named), by a 64-bit SipHash as the
//! pages' signatures are: a map or a list by the address of its contents,
//! anything else by its value. So two calls share HTML only when they
//! would have rendered the same.

use std::sync::{Arc, Mutex, OnceLock, RwLock, Weak};

use rustc_hash::FxHashMap as HashMap;
use tera::{Context, Kwargs, State, Tera, TeraResult, Value};

/// The partials one edition's pages share while it renders. Dropping it
/// drops the rendered HTML (the function left in the templates then
/// answers with an error, never with stale HTML).
pub(crate) struct Partials {
    inner: Arc<Inner>,
}

struct Inner {
    /// The templates partials render with (the edition's, this function
    /// included, so that a partial may call another).
    tera: OnceLock<Tera>,
    /// `site` and `t`: what every partial sees besides its arguments.
    base: RwLock<Context>,
    /// Rendered partials, in shards (pages render on every core, and a
    /// call is a lookup).
    done: [Mutex<Shard>; SHARDS],
    /// The errors of partials that failed, by number: the page that called
    /// one fails with [`FAILED`] and the number, and [`Partials::cause`]
    /// gives the partial's own error back (its file and line).
    failed: Mutex<Vec<Option<tera::Error>>>,
}

/// What a call to a partial that failed returns, before the error's number.
const FAILED: &str = "the partial failed: #";

const SHARDS: usize = 16;

#[derive(Default)]
struct Shard {
    /// HTML by the version of the arguments (a 64-bit SipHash, as the
    /// pages' signatures are).
    html: HashMap<u64, Value>,
    /// The arguments of every call rendered: kept, so that no other value
    /// takes the address of one while its HTML stands.
    kept: Vec<Kwargs>,
}

/// One argument as calls compare it: a map or a list by the address of
/// its contents (template values share them: an analysis's card is one
/// value on every page that lists it), anything else by its value. Equal
/// content at two addresses renders twice, correctly.
#[derive(Hash)]
enum Arg<'a> {
    Shared(usize),
    Text(&'a str, bool),
    Int(i128),
    Float(u64),
    Bool(bool),
    Other(&'static str),
}

impl<'a> Arg<'a> {
    fn of(v: &'a Value) -> Self {
        if let Some(m) = v.as_map() {
            Arg::Shared(m as *const _ as usize)
        } else if let Some(a) = v.as_array() {
            Arg::Shared(a.as_ptr() as usize)
        } else if let Some(s) = v.as_str() {
            Arg::Text(s, v.is_safe())
        } else if let Some(b) = v.as_bool() {
            Arg::Bool(b)
        } else if let Some(i) = v.as_i128() {
            Arg::Int(i)
        } else if let Some(f) = v.as_f64() {
            Arg::Float(f.to_bits())
        } else {
            Arg::Other(v.name())
        }
    }
}

/// Declares `partial` on templates being compiled (Tera checks that the
/// functions they call exist); each render registers its own.
pub(crate) fn declare(tera: &mut Tera) {
    drop(Partials::register(tera));
}

impl Partials {
    /// Registers `partial` on `tera` (which then renders with it) and
    /// returns the store it fills.
    pub(crate) fn register(tera: &mut Tera) -> Partials {
        let inner = Arc::new(Inner {
            tera: OnceLock::new(),
            base: RwLock::new(Context::new()),
            done: std::array::from_fn(|_| Mutex::default()),
            failed: Mutex::default(),
        });
        let weak: Weak<Inner> = Arc::downgrade(&inner);
        tera.register_function("partial", move |kwargs: Kwargs, _: &State| {
            match weak.upgrade() {
                Some(inner) => inner.call(kwargs),
                None => Err(tera::Error::message("`partial` called after its build")),
            }
        });
        let _ = inner.tera.set(tera.clone());
        Partials { inner }
    }

    /// Sets what every partial sees besides its arguments. Partials
    /// already rendered with another context are forgotten.
    pub(crate) fn set_base(&self, base: &Context) {
        let mut ctx = Context::new();
        for key in ["site", "t"] {
            if let Some(v) = base.get(key) {
                ctx.insert_value(key, v.clone());
            }
        }
        *self.inner.base.write().unwrap_or_else(|e| e.into_inner()) = ctx;
        for shard in &self.inner.done {
            *shard.lock().unwrap_or_else(|e| e.into_inner()) = Shard::default();
        }
    }

    /// The error to report for a page that failed: a partial's own, when
    /// the page failed in one (through every partial between).
    pub(crate) fn cause(&self, mut e: tera::Error) -> tera::Error {
        let mut failed = self.inner.failed.lock().unwrap_or_else(|e| e.into_inner());
        loop {
            let message = match e.kind() {
                tera::ErrorKind::RenderingError(r) => r.message().to_string(),
                _ => return e,
            };
            let Some(n) = message.find(FAILED).and_then(|at| {
                let digits = &message[at + FAILED.len()..];
                let end = digits
                    .find(|c: char| !c.is_ascii_digit())
                    .unwrap_or(digits.len());
                digits[..end].parse::<usize>().ok()
            }) else {
                return e;
            };
            match failed.get_mut(n).and_then(Option::take) {
                Some(inner) => e = inner,
                None => return e,
            }
        }
    }
}

impl Inner {
    fn call(&self, kwargs: Kwargs) -> TeraResult<Value> {
        // The arguments' version: each one's, summed (their order is not
        // fixed).
        let mut key = 0u64;
        let mut name = None;
        for (k, v) in kwargs.iter() {
            let arg = Arg::of(v);
            if let (Some("name"), Arg::Text(n, _)) = (k.as_str(), &arg) {
                name = Some(*n);
            }
            key = key.wrapping_add(crate::hash::version((k.as_str(), arg)));
        }
        let Some(name) = name else {
            return Err(tera::Error::message(
                "`partial` needs the template's name: `partial(name=\"partials/….html\", …)`",
            ));
        };
        let shard = &self.done[(key >> 60) as usize % SHARDS];
        if let Some(html) = shard
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .html
            .get(&key)
        {
            return Ok(html.clone());
        }
        let Some(tera) = self.tera.get() else {
            return Err(tera::Error::message("`partial` called before its build"));
        };
        let mut ctx = self.base.read().unwrap_or_else(|e| e.into_inner()).clone();
        for (k, v) in kwargs.iter() {
            if let Some(k) = k.as_str().filter(|k| *k != "name") {
                ctx.insert_value(k.to_string(), v.clone());
            }
        }
        // Rendered outside the lock: two threads may render the same
        // partial at once, and both get the same HTML.
        let html = match tera.render(name, &ctx) {
            Ok(html) => Value::safe_string(&html),
            Err(e) => {
                let mut failed = self.failed.lock().unwrap_or_else(|e| e.into_inner());
                failed.push(Some(e));
                return Err(tera::Error::message(format!(
                    "{FAILED}{}",
                    failed.len() - 1
                )));
            }
        };
        let mut shard = shard.lock().unwrap_or_else(|e| e.into_inner());
        shard.html.insert(key, html.clone());
        shard.kept.push(kwargs.clone());
        Ok(html)
    }
}
