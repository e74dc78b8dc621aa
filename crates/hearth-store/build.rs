// The migrations are embedded by `sqlx::migrate!`; a new or changed file
// must rebuild the crate, which cargo does not see on its own.
fn main() {
    println!("cargo:rerun-if-changed=migrations");
}
