using System.Text.RegularExpressions;
using Aetherflow.Engine.Prompts;
using YamlDotNet.RepresentationModel;

namespace Aetherflow.Engine.Tests.Prompts;

public sealed partial class AssetCatalogTests
{
    private readonly AssetCatalog catalog = new();

    [Test]
    public void Every_skill_agent_and_plugin_file_is_embedded_byte_for_byte_and_installable()
    {
        List<string> onDisk = [.. RepoAssets.FilesUnder("skills"), .. RepoAssets.FilesUnder("agents"), .. RepoAssets.FilesUnder("plugins")];

        Assert.That(onDisk, Does.Contain("skills/review-auto/SKILL.md"));
        Assert.That(onDisk, Does.Contain("skills/compound-auto/SKILL.md"));
        Assert.That(onDisk, Does.Contain("plugins/aetherflow-events.ts"));
        Assert.That(onDisk.Count(p => p.StartsWith("agents/", StringComparison.Ordinal)), Is.GreaterThanOrEqualTo(5));
        Assert.That(catalog.InstallablePaths, Is.SupersetOf(onDisk));
        foreach (string path in onDisk)
        {
            Assert.That(catalog.ReadBytes(path), Is.EqualTo(File.ReadAllBytes(Path.Combine(RepoAssets.Folder, path))), path);
        }
    }

    [Test]
    public void Prompts_are_embedded_but_not_installed()
    {
        foreach (string role in PromptRoles.All)
        {
            string path = $"prompts/{role}.md";
            Assert.That(catalog.Paths, Does.Contain(path));
            Assert.That(catalog.InstallablePaths, Does.Not.Contain(path));
            Assert.That(catalog.ReadText(path), Is.EqualTo(File.ReadAllText(Path.Combine(RepoAssets.Folder, path))));
        }
    }

    [Test]
    public void Paths_are_sorted_and_use_forward_slashes()
    {
        Assert.That(catalog.Paths, Is.Ordered.Using((IComparer<string>)StringComparer.Ordinal));
        Assert.That(catalog.Paths, Has.None.Contains('\\'));
    }

    [TestCase("skills/nope/SKILL.md")]
    [TestCase("../Aetherflow.Engine.csproj")]
    public void An_unknown_asset_is_refused(string path)
    {
        Assert.That(catalog.Contains(path), Is.False);
        var ex = Assert.Throws<ArgumentException>(() => catalog.ReadBytes(path));
        Assert.That(ex!.Message, Does.Contain("is not an embedded asset"));
    }

    [Test]
    public void Skills_have_the_frontmatter_opencode_requires()
    {
        foreach (string path in catalog.InstallablePaths.Where(p => p.EndsWith("/SKILL.md", StringComparison.Ordinal)))
        {
            YamlMappingNode frontmatter = Frontmatter(catalog.ReadText(path), path);
            string folder = path.Split('/')[1];
            string name = Scalar(frontmatter, "name", path);
            Assert.That(name, Is.EqualTo(folder), path);
            Assert.That(SkillName().IsMatch(name), Is.True, path);
            Assert.That(Scalar(frontmatter, "description", path).Length, Is.InRange(1, 1024), path);
        }
    }

    [Test]
    public void Agents_are_read_only_subagents_with_a_description()
    {
        foreach (string path in catalog.InstallablePaths.Where(p => p.StartsWith("agents/", StringComparison.Ordinal)))
        {
            YamlMappingNode frontmatter = Frontmatter(catalog.ReadText(path), path);
            Assert.That(Scalar(frontmatter, "description", path), Is.Not.Empty, path);
            Assert.That(Scalar(frontmatter, "mode", path), Is.EqualTo("subagent"), path);
            var permission = (YamlMappingNode)frontmatter.Children[new YamlScalarNode("permission")];
            Assert.That(Scalar(permission, "edit", path), Is.EqualTo("deny"), path);
            var bash = (YamlMappingNode)permission.Children[new YamlScalarNode("bash")];
            Assert.That(Scalar(bash, "*", path), Is.EqualTo("deny"), path);
            List<string?> allowed = bash.Children.Keys.Cast<YamlScalarNode>().Select(k => k.Value).Where(k => k != "*").ToList();
            Assert.That(allowed, Has.All.StartWith("git "), path);
            Assert.That(allowed.Where(k => k!.Contains("push", StringComparison.Ordinal) || k.Contains("commit", StringComparison.Ordinal)), Is.Empty, path);
        }
    }

    [Test]
    public void The_review_skill_names_only_installed_reviewers_and_no_fixed_base_branch()
    {
        string skill = catalog.ReadText("skills/review-auto/SKILL.md");
        List<string> named = ReviewerName().Matches(skill).Select(m => m.Value).Distinct().ToList();

        Assert.That(named, Has.Count.GreaterThanOrEqualTo(5));
        Assert.That(named.Select(n => $"agents/{n}.md"), Is.SubsetOf(catalog.InstallablePaths));
        Assert.That(skill, Does.Not.Contain("merge-base HEAD main"));
        Assert.That(skill, Does.Contain("git merge-base HEAD <base-branch>"));
    }

    [Test]
    public void The_compound_skill_writes_nothing_into_the_repository()
    {
        string skill = catalog.ReadText("skills/compound-auto/SKILL.md");

        Assert.That(skill, Does.Not.Contain("git commit").And.Not.Contain("git add"));
        Assert.That(skill, Does.Contain("Landing comes first"));
        Assert.That(skill, Does.Contain("prog learn").And.Contain("aetherflow task learn"));
    }

    private static YamlMappingNode Frontmatter(string text, string path)
    {
        Assert.That(text, Does.StartWith("---\n"), path);
        int end = text.IndexOf("\n---\n", 4, StringComparison.Ordinal);
        Assert.That(end, Is.GreaterThan(0), path);
        var yaml = new YamlStream();
        yaml.Load(new StringReader(text[4..end]));
        return (YamlMappingNode)yaml.Documents[0].RootNode;
    }

    private static string Scalar(YamlMappingNode node, string key, string path)
    {
        Assert.That(node.Children.ContainsKey(new YamlScalarNode(key)), Is.True, $"{path}: missing {key}");
        return ((YamlScalarNode)node.Children[new YamlScalarNode(key)]).Value ?? string.Empty;
    }

    [GeneratedRegex("^[a-z0-9]+(-[a-z0-9]+)*$")]
    private static partial Regex SkillName();

    [GeneratedRegex("aetherflow-[a-z]+-reviewer")]
    private static partial Regex ReviewerName();
}
