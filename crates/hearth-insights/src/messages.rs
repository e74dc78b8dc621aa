//! All of the insights' words, kept together so their tone can be reviewed
//! in one read: warm, plain, never diagnostic, never prescriptive, never
//! pressuring anyone toward sex.

pub const NOT_ENOUGH: &str = "Not enough data yet.";

pub const WHAT_HELPS_TITLE: &str = "What helps me";
pub const WHAT_HELPS_DO: &str = "Keep doing what lifts you, and mix in more than one kind: sex can be one \
tool among many, alongside exercise, closeness without sex, time outdoors and people you trust.";

pub const DROP_TITLE: &str = "Feeling worse after sex";
pub const DROP_NOTICE: &str = "Several times lately you felt lower, tearful or empty after sex. Many people \
have times like this; it is not a failing.";
pub const DROP_DO: &str = "Notice when it happens and what came before; tell your partner how you feel if \
that feels safe; and if it keeps happening, raise it with a therapist or doctor.";
pub const DROP_QUIET: &str = "No pattern of feeling worse after sex in the last 90 days.";

pub const RELIANCE_TITLE: &str = "Leaning on one tool";
pub const RELIANCE_QUIET: &str = "Your coping over the last four weeks looks varied.";
pub const RELIANCE_DO: &str = "Try widening the toolkit this week — a walk, a call with a friend, a few \
minutes of mindfulness — and consider talking it through with a therapist or counsellor.";
pub const REASON_SEXUAL_SHARE: &str = "Most of your coping in the last four weeks was sexual.";
pub const REASON_ESCAPE: &str = "Sex was often a way to escape a bad feeling.";
pub const REASON_WORSE_REPEATED: &str =
    "Some activities left you feeling worse, yet came again within a day.";
pub const REASON_LOW_CONTROL: &str = "Porn use often felt out of your control.";
pub const REASON_RISING: &str = "Sexual coping has been becoming more frequent week by week.";

pub const MED_TITLE: &str = "Medication and sexual function";
pub const MED_NOTICE: &str = "Sexual difficulty rose after a medication change. This is a common side effect \
of some antidepressants, and it is worth raising with your prescriber: options exist — timing, dose, \
switching, or adding a medication. Please don't change or stop a dose on your own.";
pub const MED_QUIET: &str = "No rise in sexual difficulty after a medication change.";
pub const MED_DO: &str = "Bring this to your next appointment: your medication timeline and weekly checks \
give your prescriber the picture.";

pub const TREND_TITLE: &str = "Depression trend (PHQ-9)";
pub const TREND_HELP: &str = "Your latest PHQ-9 is high or has risen a lot. Please consider talking to a \
professional — a psychologist, psychiatrist, social worker or CBT therapist — or your doctor. Hearth is not \
a substitute for care.";
pub const TREND_DO: &str =
    "Take the PHQ-9 every two weeks to see the trend; bring it to appointments.";

pub const SLEEP_TITLE: &str = "Sleep and connection";
pub const SLEEP_DO: &str =
    "Closeness does not have to mean sex: cuddling, massage and time together count too.";

/// Said beside what helps when late ratings were left out.
pub fn late_left_out(n: usize) -> String {
    if n == 1 {
        "One rating given after its time was left out.".into()
    } else {
        format!("{n} ratings given after their time were left out.")
    }
}
