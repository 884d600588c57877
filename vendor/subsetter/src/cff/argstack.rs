use crate::cff::number::Number;
use crate::Error::CFFError;
use crate::Result;

const MAX_OPERANDS_LEN: usize = 48;

// Taken from ttf-parser.
/// TODO: Use array instead?
pub struct ArgumentsStack {
    pub data: Vec<Number>,
}

impl ArgumentsStack {
    pub fn new() -> Self {
        Self { data: Vec::with_capacity(MAX_OPERANDS_LEN) }
    }

    #[inline]
    pub fn len(&self) -> usize {
        self.data.len()
    }

    #[inline]
    pub fn push(&mut self, n: Number) -> Result<()> {
        if self.len() == MAX_OPERANDS_LEN {
            Err(CFFError)
        } else {
            self.data.push(n);
            Ok(())
        }
    }

    #[inline]
    pub fn pop(&mut self) -> Option<Number> {
        self.data.pop()
    }

    /// Clear the stack and return how many operands it held. (wengao: was
    /// `-> Vec<Number>`, which swapped the stack's buffer out, so that every
    /// operator freed it and the next operand allocated a new one.)
    #[inline]
    pub fn pop_all(&mut self) -> usize {
        let len = self.data.len();
        self.data.clear();
        len
    }
}
