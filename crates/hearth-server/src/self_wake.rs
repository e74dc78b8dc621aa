//! A connection's future, polled again at once when it wakes itself while
//! being polled. hyper's HTTP/1 connection does that for every request with
//! a body: the handler asks for the body and the connection hands it over,
//! both in the one task, each waking the other. tokio takes a task woken
//! during its own poll for one that yielded: it queues the task again and
//! wakes another worker thread to share the work, which finds nothing. At
//! one connection that was a futex wake-up, a thread's needless turn and a
//! second poll for every request: about 45 µs of a 340 µs API write here.

use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll, Wake, Waker};

/// At most this many polls in a row for wakes of the future's own: one that
/// keeps waking itself (tokio's budget spent, say) then goes back to the
/// scheduler, so it still takes turns with every other task.
const POLLS: usize = 4;

pub(crate) struct Rewoken<F> {
    inner: Pin<Box<F>>,
    state: Arc<State>,
    waker: Waker,
}

#[derive(Default)]
struct State {
    polling: AtomicBool,
    woken: AtomicBool,
    outer: Mutex<Option<Waker>>,
}

impl State {
    fn outer(&self) -> std::sync::MutexGuard<'_, Option<Waker>> {
        // Poisoned, it held only a waker.
        self.outer.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl Wake for State {
    fn wake(self: Arc<Self>) {
        self.wake_by_ref();
    }

    fn wake_by_ref(self: &Arc<Self>) {
        // Marked before `polling` is read: a poll under way sees the mark
        // when it ends and polls again; otherwise the scheduler is told.
        self.woken.store(true, Ordering::SeqCst);
        if !self.polling.load(Ordering::SeqCst)
            && let Some(w) = self.outer().as_ref()
        {
            w.wake_by_ref();
        }
    }
}

impl<F: Future> Rewoken<F> {
    pub(crate) fn new(inner: F) -> Rewoken<F> {
        let state = Arc::new(State::default());
        Rewoken {
            inner: Box::pin(inner),
            waker: Waker::from(state.clone()),
            state,
        }
    }
}

impl<F: Future> Future for Rewoken<F> {
    type Output = F::Output;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<F::Output> {
        {
            let mut outer = self.state.outer();
            if !outer.as_ref().is_some_and(|w| w.will_wake(cx.waker())) {
                *outer = Some(cx.waker().clone());
            }
        }
        let this = &mut *self;
        for _ in 0..POLLS {
            this.state.woken.store(false, Ordering::SeqCst);
            this.state.polling.store(true, Ordering::SeqCst);
            let polled = this
                .inner
                .as_mut()
                .poll(&mut Context::from_waker(&this.waker));
            this.state.polling.store(false, Ordering::SeqCst);
            if polled.is_ready() || !this.state.woken.swap(false, Ordering::SeqCst) {
                return polled;
            }
        }
        cx.waker().wake_by_ref();
        Poll::Pending
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::AtomicUsize;

    #[derive(Default)]
    struct Count(AtomicUsize);

    impl Wake for Count {
        fn wake(self: Arc<Self>) {
            self.wake_by_ref();
        }
        fn wake_by_ref(self: &Arc<Self>) {
            self.0.fetch_add(1, Ordering::SeqCst);
        }
    }

    impl Count {
        fn get(&self) -> usize {
            self.0.load(Ordering::SeqCst)
        }
    }

    /// Wakes itself and waits `times` times, then is done with its count
    /// of polls.
    struct SelfWaking {
        times: usize,
        polls: usize,
    }

    impl Future for SelfWaking {
        type Output = usize;
        fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<usize> {
            self.polls += 1;
            if self.times == 0 {
                return Poll::Ready(self.polls);
            }
            self.times -= 1;
            cx.waker().wake_by_ref();
            Poll::Pending
        }
    }

    fn self_waking(times: usize) -> SelfWaking {
        SelfWaking { times, polls: 0 }
    }

    fn poll<F: Future>(f: &mut Rewoken<F>, outer: &Arc<Count>) -> Poll<F::Output> {
        let waker = Waker::from(outer.clone());
        Pin::new(f).poll(&mut Context::from_waker(&waker))
    }

    #[test]
    fn a_future_that_wakes_itself_is_polled_again_without_the_scheduler() {
        let outer = Arc::new(Count::default());
        let mut f = Rewoken::new(self_waking(2));
        assert_eq!(poll(&mut f, &outer), Poll::Ready(3));
        assert_eq!(outer.get(), 0);
    }

    #[test]
    fn one_that_keeps_waking_itself_goes_back_to_the_scheduler() {
        let outer = Arc::new(Count::default());
        let mut f = Rewoken::new(self_waking(POLLS + 1));
        assert!(poll(&mut f, &outer).is_pending());
        assert_eq!(outer.get(), 1, "its turn given back, and asked for again");
        assert_eq!(poll(&mut f, &outer), Poll::Ready(POLLS + 2));
        assert_eq!(outer.get(), 1);
    }

    #[test]
    fn a_wake_from_elsewhere_after_a_poll_reaches_the_scheduler() {
        let outer = Arc::new(Count::default());
        let kept = Arc::new(Mutex::new(None::<Waker>));
        let slot = kept.clone();
        let mut waited = false;
        let mut f = Rewoken::new(std::future::poll_fn(move |cx| {
            if waited {
                return Poll::Ready(());
            }
            waited = true;
            *slot.lock().unwrap() = Some(cx.waker().clone());
            Poll::Pending
        }));
        assert!(poll(&mut f, &outer).is_pending());
        assert_eq!(outer.get(), 0);
        // The waker the inner future kept, woken as another thread would.
        let woken = kept.lock().unwrap().take().unwrap();
        woken.wake();
        assert_eq!(outer.get(), 1);
        assert_eq!(poll(&mut f, &outer), Poll::Ready(()));
    }
}
