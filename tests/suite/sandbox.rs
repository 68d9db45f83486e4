//! The project root is a sandbox: nothing outside it can be read.

use super::env::{TestEnv, stderr};

#[test]
fn parent_paths_cannot_escape_the_root() {
    let env = TestEnv::new();
    env.write("outside.txt", "secret");
    env.write("project/main.typ", "#read(\"../outside.txt\")\n");
    let output = env.ibid(&["build", "project/main.typ", "--root", "project"]);
    assert_eq!(output.status.code(), Some(1));
    let err = stderr(&output);
    assert!(err.contains("error:"), "{err}");
    assert!(err.contains("main.typ:1:6"), "the error is located: {err}");
    assert!(!err.contains("secret"));
}

#[test]
fn absolute_paths_are_relative_to_the_root() {
    let env = TestEnv::new();
    env.write("main.typ", "#read(\"/etc/passwd\")\n");
    let output = env.ibid(&["build", "main.typ"]);
    assert_eq!(output.status.code(), Some(1));
    let err = stderr(&output);
    assert!(err.contains("error: file not found"), "{err}");
    assert!(err.contains("main.typ:1:6"), "{err}");
    assert!(!err.contains("root:x:0:0"));

    // And `/etc/passwd` is `<root>/etc/passwd`, read when it is there.
    env.write("etc/passwd", "inside the project");
    env.write(
        "main.typ",
        "#assert.eq(read(\"/etc/passwd\"), \"inside the project\")\n",
    );
    let output = env.ibid(&["build", "main.typ", "--no-audit"]);
    assert!(output.status.success(), "{}", stderr(&output));
}

#[cfg(unix)]
#[test]
fn a_symlink_leading_out_of_the_root_is_refused() {
    let env = TestEnv::new();
    env.write("outside/secret.txt", "secret");
    env.write("project/main.typ", "#read(\"leak.txt\")\n");
    std::os::unix::fs::symlink(
        env.path().join("outside/secret.txt"),
        env.path().join("project/leak.txt"),
    )
    .unwrap();
    let output = env.ibid(&["build", "project/main.typ", "--root", "project"]);
    assert_eq!(output.status.code(), Some(1));
    let err = stderr(&output);
    assert!(err.contains("outside the project root"), "{err}");
    assert!(err.contains("main.typ:1:6"), "{err}");
}

#[cfg(unix)]
#[test]
fn a_symlink_inside_the_root_is_followed() {
    let env = TestEnv::new();
    env.write("project/data/real.txt", "inside");
    env.write(
        "project/main.typ",
        "#assert.eq(read(\"alias.txt\"), \"inside\")\n",
    );
    std::os::unix::fs::symlink(
        env.path().join("project/data/real.txt"),
        env.path().join("project/alias.txt"),
    )
    .unwrap();
    let output = env.ibid(&["build", "project/main.typ", "--root", "project"]);
    assert!(output.status.success(), "{}", stderr(&output));
}

#[test]
fn an_input_outside_the_root_is_a_tool_error() {
    let env = TestEnv::new();
    env.write("a/main.typ", "Hi");
    std::fs::create_dir(env.path().join("b")).unwrap();
    let output = env.ibid(&["build", "a/main.typ", "--root", "b"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("outside the project root"),
        "{}",
        stderr(&output)
    );
}
