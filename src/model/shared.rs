//! [`Shared`]: a list that builds share.

use std::sync::Arc;

/// A list kept between builds and handed to each build that uses it:
/// cloning one is a count, not a copy. The link stage's reverse edges are
/// (a rename at N = 10,000 copied every reverse edge into fresh lists:
/// 5 ms, allocation most of it), and so are the model's lists of entities,
/// of which `serve` keeps a copy for the next build (copying 250,000
/// entities' handles at N = 100,000 cost milliseconds of each edit).
/// Reads like a `Vec`; a change copies it first if another holder still
/// has it.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Shared<T>(Arc<Vec<T>>);

impl<T> Shared<T> {
    /// The list to change (copied first if another site still holds it).
    pub(crate) fn make_mut(&mut self) -> &mut Vec<T>
    where
        T: Clone,
    {
        Arc::make_mut(&mut self.0)
    }
}

impl<T> Clone for Shared<T> {
    fn clone(&self) -> Self {
        Shared(Arc::clone(&self.0))
    }
}

impl<T> Default for Shared<T> {
    fn default() -> Self {
        Shared(Arc::default())
    }
}

impl<T> From<Vec<T>> for Shared<T> {
    fn from(v: Vec<T>) -> Self {
        Shared(Arc::new(v))
    }
}

impl<T> std::ops::Deref for Shared<T> {
    type Target = Vec<T>;
    fn deref(&self) -> &Vec<T> {
        &self.0
    }
}

impl<T> FromIterator<T> for Shared<T> {
    fn from_iter<I: IntoIterator<Item = T>>(iter: I) -> Self {
        Shared(Arc::new(iter.into_iter().collect()))
    }
}

impl<'a, T> IntoIterator for &'a Shared<T> {
    type Item = &'a T;
    type IntoIter = std::slice::Iter<'a, T>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.iter()
    }
}
