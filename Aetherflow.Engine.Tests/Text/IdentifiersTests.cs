using Aetherflow.Engine.Text;

namespace Aetherflow.Engine.Tests.Text;

public sealed class IdentifiersTests
{
    [TestCase("myapp", true)]
    [TestCase("my-app_2.0", true)]
    [TestCase("ts-a1b2c3", true)]
    [TestCase("", false)]
    [TestCase(".hidden", false)]
    [TestCase("-flag", false)]
    [TestCase("../etc", false)]
    [TestCase("a/b", false)]
    [TestCase("a..b", false)]
    [TestCase("--exec=evil", false)]
    [TestCase("white space", false)]
    public void Project_names_and_task_ids(string name, bool valid)
    {
        Assert.That(Identifiers.IsProjectName(name), Is.EqualTo(valid));
        Assert.That(Identifiers.IsTaskId(name), Is.EqualTo(valid));
    }

    [Test]
    public void Names_longer_than_64_are_refused() => Assert.That(Identifiers.IsProjectName(new string('a', 65)), Is.False);

    [TestCase("ses_3ba7Zx-9", true)]
    [TestCase("ses/../x", false)]
    [TestCase("", false)]
    public void Session_ids(string id, bool valid) => Assert.That(Identifiers.IsSessionId(id), Is.EqualTo(valid));

    [TestCase("My Project", "My-Project")]
    [TestCase("..weird", "weird")]
    [TestCase("ok.name", "ok.name")]
    [TestCase("***", null)]
    public void Directory_names_become_project_names(string text, string? expected) =>
        Assert.That(Identifiers.ToProjectName(text), Is.EqualTo(expected));
}
