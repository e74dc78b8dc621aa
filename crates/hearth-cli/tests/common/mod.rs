//! A journal in a temporary directory, driven through the real binary.
#![allow(dead_code)]

use std::fs;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use serde_json::Value;
use tempfile::TempDir;

pub struct Journal {
    _tmp: TempDir,
    pub dir: PathBuf,
    /// Where user-supplied instrument definitions are read from.
    pub config: PathBuf,
}

impl Journal {
    pub fn new() -> Journal {
        let tmp = TempDir::new().unwrap();
        let dir = tmp.path().join("journal");
        let config = tmp.path().join("config");
        Journal {
            _tmp: tmp,
            dir,
            config,
        }
    }

    pub fn cmd(&self) -> Command {
        Command::from_std(self.std_cmd())
    }

    /// The same command as `cmd`, for driving through a pseudo-terminal.
    pub fn std_cmd(&self) -> std::process::Command {
        let mut c = std::process::Command::new(assert_cmd::cargo::cargo_bin("hearth"));
        c.env_remove("HEARTH_PASSPHRASE")
            .env_remove("HEARTH_DATA_DIR")
            .env("TZ", "Europe/London")
            .env("HEARTH_CONFIG_DIR", &self.config)
            .arg("--data-dir")
            .arg(&self.dir);
        c
    }

    pub fn ok(&self, args: &[&str]) -> String {
        let out = self.cmd().args(args).output().unwrap();
        assert!(
            out.status.success(),
            "hearth {args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    }

    pub fn json(&self, args: &[&str]) -> Value {
        let mut all = vec!["--json"];
        all.extend_from_slice(args);
        serde_json::from_str(&self.ok(&all)).unwrap()
    }

    /// `hearth serve` on a free loopback port, the address it says it is at, and
    /// the launch key in that address.
    pub fn serve(
        &self,
        env: &[(&str, &str)],
        stderr: std::process::Stdio,
    ) -> (std::process::Child, String, String) {
        use std::io::{BufRead, BufReader};
        let mut child = self
            .std_cmd()
            .args(["serve", "--addr", "127.0.0.1:0"])
            .envs(env.iter().copied())
            .stdout(std::process::Stdio::piped())
            .stderr(stderr)
            .spawn()
            .unwrap();
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let url = line
            .split("http://")
            .nth(1)
            .and_then(|r| r.split_whitespace().next())
            .expect("a URL");
        let (addr, key) = url.split_once("/?key=").expect("a key in the address");
        assert_eq!(key.len(), 64, "{line}");
        (child, addr.to_string(), key.to_string())
    }

    pub fn list(&self) -> Value {
        self.json(&["list"])
    }

    /// Runs a command that must be refused with exit 2, and checks that the
    /// stored entries did not change. Returns stderr.
    pub fn refused(&self, args: &[&str]) -> String {
        let before = self.list();
        let out = self.cmd().args(args).output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr).to_string();
        assert_eq!(
            out.status.code(),
            Some(2),
            "hearth {args:?} should exit 2; stderr: {stderr}"
        );
        assert_eq!(
            self.list(),
            before,
            "hearth {args:?} changed stored entries"
        );
        stderr
    }
}

/// The files that hold the journal, leaving out the write-ahead log's
/// shared-memory index, which any open rebuilds from the log itself.
pub fn data_files(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    files(dir)
        .into_iter()
        .filter(|(p, _)| !p.to_string_lossy().ends_with("-shm"))
        .collect()
}

pub fn files(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut v: Vec<_> = fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            let p = e.unwrap().path();
            let bytes = fs::read(&p).unwrap();
            (p, bytes)
        })
        .collect();
    v.sort();
    v
}
