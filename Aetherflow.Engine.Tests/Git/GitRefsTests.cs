using Aetherflow.Engine.Git;

namespace Aetherflow.Engine.Tests.Git;

public sealed class GitRefsTests
{
    [Test]
    public void Work_branches_are_built_from_the_id()
    {
        Assert.Multiple(() =>
        {
            Assert.That(GitRefs.WorkBranch("ts-a1b2"), Is.EqualTo("af/ts-a1b2"));
            Assert.That(GitRefs.LocalWorkBranch("ts-a1b2"), Is.EqualTo("refs/heads/af/ts-a1b2"));
            Assert.That(GitRefs.RemoteWorkBranch("origin", "ts-a1b2"), Is.EqualTo("refs/remotes/origin/af/ts-a1b2"));
            Assert.That(GitRefs.RemoteTracking("upstream", "release/2.x"), Is.EqualTo("refs/remotes/upstream/release/2.x"));
        });
    }

    [TestCase("--exec=evil")]
    [TestCase("-x")]
    [TestCase("../escape")]
    [TestCase("a/b")]
    [TestCase("x.lock")]
    [TestCase("trailing.")]
    [TestCase("")]
    [TestCase("white space")]
    [TestCase("a..b")]
    public void Invalid_work_ids_never_become_refs(string id)
    {
        Assert.Multiple(() =>
        {
            Assert.That(GitRefs.IsWorkId(id), Is.False);
            Assert.That(() => GitRefs.WorkBranch(id), Throws.ArgumentException);
        });
    }

    [TestCase("main", true)]
    [TestCase("release/2.x", true)]
    [TestCase("-main", false)]
    [TestCase("main.lock", false)]
    [TestCase("a//b", false)]
    [TestCase("a/.b", false)]
    [TestCase("main/", false)]
    [TestCase("ma in", false)]
    [TestCase("a..b", false)]
    public void Branch_names_from_config(string name, bool valid) => Assert.That(GitRefs.IsBranchName(name), Is.EqualTo(valid));
}
