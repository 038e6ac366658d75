//! No output path can leave `public/`: one test for each route built from a name that
//! content chooses — estate, case and page file names (slugs), campaign years, tags,
//! counties, photos and attachments (`..`, absolute paths, symbolic links). After every
//! build, successful or refused, nothing exists outside `public/` that was not there before.

mod common;

use common::{TODAY, copy_dir, ok, run, tree};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Output;

/// The `basic` fixture in `<private temporary folder>/site`, so that anything a build
/// wrote beside or above the site would show in a folder nobody else uses.
struct Site {
    outer: tempfile::TempDir,
}

impl Site {
    fn fixture(name: &str) -> Site {
        let outer = tempfile::tempdir().unwrap();
        let src = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures")
            .join(name);
        copy_dir(&src, &outer.path().join("site"));
        Site { outer }
    }

    fn root(&self) -> PathBuf {
        self.outer.path().join("site")
    }

    fn public(&self) -> PathBuf {
        self.root().join("public")
    }

    fn write(&self, rel: &str, text: &str) {
        let p = self.root().join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }

    fn build(&self) -> Output {
        let root = self.root();
        run(&["build", "--root", root.to_str().unwrap(), "--today", TODAY])
    }
}

/// Every path under `dir` (files, folders and links), except the output folder.
fn listing(dir: &Path) -> BTreeSet<String> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .map(|e| {
            e.path()
                .strip_prefix(dir)
                .unwrap()
                .to_string_lossy()
                .into_owned()
        })
        .filter(|p| p != "site/public" && !p.starts_with("site/public/"))
        .collect()
}

/// Builds `site` and checks that nothing was written anywhere but `public/`, inside the
/// site or beside it.
fn build_contained(site: &Site) -> Output {
    let before = listing(site.outer.path());
    let out = site.build();
    assert_eq!(
        listing(site.outer.path()),
        before,
        "something was written outside public/"
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    out
}

fn fails_with(out: &Output, words: &[&str]) {
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "the build should fail:\n{stderr}");
    for w in words {
        assert!(stderr.contains(w), "missing `{w}` in:\n{stderr}");
    }
}

const ESTATE: &str = "name: 丙小区\ncounty: 甲区\naddress: 测试路\nproperty_company: 丙物业\n";

// Estate, case and page file names become URLs only as lowercase ASCII slugs; anything
// that could name another folder is refused with the file named.
#[test]
fn slugs_from_file_names() {
    let all: &[&str] = &["..", "a..b", "%2e%2e", "A", "a\\b", "汉字", "a:b"];
    // The three kinds share one slug check: the full list once, a few for the others.
    let some: &[&str] = &["a..b", "%2e%2e", "a\\b"];
    let case = "---\ntitle: 案例\n---\n正文\n";
    let page = "---\ntitle: 页面\n---\n正文\n";
    for (folder, ext, body, stems) in [
        ("content/campaigns/2025/estates", "yaml", ESTATE, all),
        ("content/campaigns/2025/experiences", "md", case, some),
        ("content/pages", "md", page, some),
    ] {
        for &stem in stems {
            let site = Site::fixture("basic");
            site.write(&format!("{folder}/{stem}.{ext}"), body);
            let out = build_contained(&site);
            if stem.starts_with('.') {
                // `...yaml` is a hidden file, which is never content.
                ok(&out);
                assert!(tree(&site.public()).keys().all(|p| !p.contains("..")));
                continue;
            }
            // The message names the file (a backslash is shown as a slash).
            fails_with(&out, &[&format!("{folder}/"), "小写英文字母"]);
            assert!(!site.public().exists());
        }
    }
}

// A campaign year must be the folder's own four-digit name; a folder named otherwise
// cannot put pages anywhere.
#[test]
fn campaign_years() {
    for (dir, year) in [
        ("2025x", "2025"),
        ("0002025", "2025"),
        ("..2025", "2025"),
        ("2026", "\"../x\""),
        ("2026", "99999"),
    ] {
        let site = Site::fixture("basic");
        let campaign =
            std::fs::read_to_string(site.root().join("content/campaigns/2025/campaign.yaml"))
                .unwrap();
        site.write(
            &format!("content/campaigns/{dir}/campaign.yaml"),
            &campaign.replace("year: 2025", &format!("year: {year}")),
        );
        let out = build_contained(&site);
        fails_with(&out, &[&format!("content/campaigns/{dir}")]);
        assert!(!site.public().exists());
    }
}

// Tags and counties are free text; their pages are addressed by a hash and a number.
#[test]
fn tags_and_counties() {
    let site = Site::fixture("basic");
    let hostile = [
        "../../../../x",
        "/etc/passwd",
        "..",
        "a/b\\c",
        "C:\\x",
        "%2e%2e%2f",
    ];
    let list = hostile
        .iter()
        .map(|t| serde_json::to_string(t).unwrap())
        .collect::<Vec<_>>()
        .join(", ");
    let case = std::fs::read_to_string(
        site.root()
            .join("content/campaigns/2025/experiences/jia-yishi.md"),
    )
    .unwrap();
    site.write(
        "content/campaigns/2025/experiences/jia-yishi.md",
        &case.replace(
            "tags: [党建引领, 业委会规范运行]",
            &format!("tags: [{list}]"),
        ),
    );
    let campaign =
        std::fs::read_to_string(site.root().join("content/campaigns/2025/campaign.yaml")).unwrap();
    site.write(
        "content/campaigns/2025/campaign.yaml",
        &campaign.replace(
            "counties: [甲区, 乙县]",
            "counties: [\"../../甲区\", \"/乙县\"]",
        ),
    );
    for f in ["jia-one", "jia-two", "yi-one", "yi-two"] {
        let path = format!("content/campaigns/2025/estates/{f}.yaml");
        let text = std::fs::read_to_string(site.root().join(&path)).unwrap();
        site.write(
            &path,
            &text
                .replace("county: 甲区", "county: \"../../甲区\"")
                .replace("county: 乙县", "county: \"/乙县\""),
        );
    }
    ok(&build_contained(&site));
    let files = tree(&site.public());
    let tag_pages: Vec<&String> = files
        .keys()
        .filter(|p| p.starts_with("cases/tags/"))
        .collect();
    assert_eq!(tag_pages.len(), hostile.len(), "{tag_pages:?}");
    for p in tag_pages {
        let id = &p["cases/tags/".len()..p.len() - "/index.html".len()];
        assert!(
            id.len() == 9 && id.starts_with('t') && id[1..].bytes().all(|b| b.is_ascii_hexdigit()),
            "{p}"
        );
    }
    assert!(files.contains_key("2025/counties/1/index.html"));
    assert!(files.contains_key("2025/counties/2/index.html"));
    assert!(files.keys().all(|p| !p.contains("..") && !p.contains('\\')));
}

// A photo path with `..`, an absolute path or a link to outside content/ is refused.
#[test]
fn photos() {
    for src in [
        "files/../campaign.yaml",
        "../../../../outside.jpg",
        "/etc/passwd",
        "C:/Windows/win.ini",
        "files/link.jpg",
        "files/linkdir/outside.jpg",
    ] {
        let site = Site::fixture("basic");
        std::fs::write(site.outer.path().join("outside.jpg"), b"secret").unwrap();
        #[cfg(unix)]
        {
            let files = site.root().join("content/campaigns/2025/files");
            std::os::unix::fs::symlink(
                site.outer.path().join("outside.jpg"),
                files.join("link.jpg"),
            )
            .unwrap();
            std::os::unix::fs::symlink(site.outer.path(), files.join("linkdir")).unwrap();
        }
        let path = "content/campaigns/2025/estates/jia-one.yaml";
        let text = std::fs::read_to_string(site.root().join(path)).unwrap();
        site.write(
            path,
            &text.replace("src: files/gate.jpg", &format!("src: \"{src}\"")),
        );
        let out = build_contained(&site);
        fails_with(&out, &[path]);
        assert!(!site.public().exists(), "{src}");
    }
}

// Attachments are published only from inside content/: `..` in a Markdown link, a link
// inside files/ and a files/ folder that is itself a link to elsewhere are all refused.
#[test]
fn attachments() {
    for link in [
        "files/../campaign.yaml",
        "files/../../../../outside.pdf",
        "files/./plan.pdf",
        "files/link.pdf",
    ] {
        let site = Site::fixture("basic");
        std::fs::write(site.outer.path().join("outside.pdf"), b"secret").unwrap();
        #[cfg(unix)]
        std::os::unix::fs::symlink(
            site.outer.path().join("outside.pdf"),
            site.root().join("content/campaigns/2025/files/link.pdf"),
        )
        .unwrap();
        site.write(
            "content/campaigns/2025/notice.md",
            &format!("---\ntitle: 通知\n---\n\n[附件]({link})\n"),
        );
        let out = build_contained(&site);
        fails_with(&out, &["content/campaigns/2025/notice.md", "文件不存在"]);
    }
    #[cfg(unix)]
    {
        let site = Site::fixture("basic");
        let outside = site.outer.path().join("outside");
        std::fs::create_dir_all(&outside).unwrap();
        std::fs::write(outside.join("secret.pdf"), b"secret").unwrap();
        let files = site.root().join("content/campaigns/2025/files");
        std::fs::remove_dir_all(&files).unwrap();
        std::os::unix::fs::symlink(&outside, &files).unwrap();
        site.write(
            "content/campaigns/2025/notice.md",
            "---\ntitle: 通知\n---\n\n[附件](files/secret.pdf)\n",
        );
        // The estate's photo would be refused on its own; keep this test about attachments.
        let path = "content/campaigns/2025/estates/jia-one.yaml";
        let text = std::fs::read_to_string(site.root().join(path)).unwrap();
        let text: String = text.split("photos:").next().unwrap().to_string()
            + &text[text.find("summary:").unwrap()..];
        site.write(path, &text);
        let out = build_contained(&site);
        fails_with(&out, &["files/secret.pdf", "不在 content 文件夹内"]);
        assert!(!site.public().exists());
    }
}
