using Aetherflow.Engine.Prompts;
using Aetherflow.Engine.Tests.Support;

namespace Aetherflow.Engine.Tests.Prompts;

public sealed class PromptLibraryTests
{
    [Test]
    public void Without_prompt_dir_every_template_is_built_in()
    {
        var library = PromptLibrary.Load(string.Empty, "/nonexistent/project");

        Assert.That(library.OverrideDirectory, Is.Null);
        Assert.That(library.Sources.Select(s => s.Role), Is.EqualTo(PromptRoles.All));
        Assert.That(library.Sources, Has.All.Property(nameof(PromptSource.IsEmbedded)).True);
        Assert.That(library.Summary, Is.EqualTo("prompts: built in (worker, planner, spawn, handoff)"));
        Assert.That(library.Get(PromptRoles.Worker).Name, Is.EqualTo("worker.md (built in)"));
        Assert.That(library.Warnings, Is.Empty);
    }

    [Test]
    public void A_relative_prompt_dir_is_resolved_against_the_project_not_the_current_folder()
    {
        using var project = new TempDirectory();
        string worker = project.Write("my-prompts/worker.md", "# Mine\nTask: {{task_id}}\n");

        var library = PromptLibrary.Load("my-prompts", project.Path);

        Assert.That(library.OverrideDirectory, Is.EqualTo(project.Combine("my-prompts")));
        Assert.That(library.Sources[0], Is.EqualTo(new PromptSource(PromptRoles.Worker, worker)));
        Assert.That(library.Sources.Skip(1), Has.All.Property(nameof(PromptSource.IsEmbedded)).True);
        Assert.That(library.Summary, Is.EqualTo($"prompts: worker from {project.Combine("my-prompts")}; planner, spawn, handoff built in"));
        Assert.That(library.Get(PromptRoles.Worker).Render(new Dictionary<string, string> { ["task_id"] = "ts-1" }), Is.EqualTo("# Mine\nTask: ts-1\n"));
        Assert.That(library.Get(PromptRoles.Planner).Name, Is.EqualTo("planner.md (built in)"));
    }

    [Test]
    public void An_absolute_prompt_dir_can_override_every_template()
    {
        using var dir = new TempDirectory();
        foreach (string role in PromptRoles.All)
        {
            dir.Write(role + ".md", $"# {role}\n");
        }

        var library = PromptLibrary.Load(dir.Path, "/somewhere/else");

        Assert.That(library.Sources, Has.None.Property(nameof(PromptSource.IsEmbedded)).True);
        Assert.That(library.Summary, Is.EqualTo($"prompts: worker, planner, spawn, handoff from {dir.Path}"));
    }

    [Test]
    public void A_missing_prompt_dir_fails_with_its_absolute_path()
    {
        using var project = new TempDirectory();

        var ex = Assert.Throws<PromptException>(() => PromptLibrary.Load("nope", project.Path));

        Assert.That(ex!.Message, Is.EqualTo(
            $"prompt_dir '{project.Combine("nope")}' does not exist; create it with the templates to override "
            + "(worker.md, planner.md, spawn.md, handoff.md) or remove prompt_dir"));
    }

    [Test]
    public void A_prompt_dir_that_is_a_file_is_refused()
    {
        using var project = new TempDirectory();
        project.Write("prompts", "not a folder");

        var ex = Assert.Throws<PromptException>(() => PromptLibrary.Load("prompts", project.Path));

        Assert.That(ex!.Message, Does.Contain("is a file"));
    }

    [Test]
    public void A_prompt_dir_without_any_template_is_refused()
    {
        using var dir = new TempDirectory();
        dir.Write("Worker.md", "wrong case");

        var ex = Assert.Throws<PromptException>(() => PromptLibrary.Load(dir.Path, dir.Path));

        Assert.That(ex!.Message, Does.StartWith($"prompt_dir '{dir.Path}' holds none of worker.md, planner.md, spawn.md, handoff.md"));
    }

    [Test]
    public void Other_markdown_files_in_prompt_dir_are_reported_and_ignored()
    {
        using var dir = new TempDirectory();
        dir.Write("worker.md", "w");
        dir.Write("plannr.md", "typo");
        dir.Write("notes.txt", "not markdown");

        var library = PromptLibrary.Load(dir.Path, dir.Path);

        Assert.That(library.Warnings, Has.Count.EqualTo(1));
        Assert.That(library.Warnings[0], Does.StartWith($"prompt_dir file {dir.Combine("plannr.md")} is not a prompt template"));
        Assert.That(library.Sources[1].IsEmbedded, Is.True);
    }

    [Test]
    public void A_malformed_override_fails_at_load_naming_the_file_and_line()
    {
        using var dir = new TempDirectory();
        string path = dir.Write("spawn.md", "# Spawn\n\n{{ user_prompt }}\n");

        var ex = Assert.Throws<PromptException>(() => PromptLibrary.Load(dir.Path, dir.Path));

        Assert.That(ex!.Message, Does.StartWith($"{path} line 3: '{{{{ user_prompt }}}}' is not a variable"));
    }

    [Test]
    public void An_oversized_override_is_refused()
    {
        using var dir = new TempDirectory();
        dir.Write("worker.md", new string('x', PromptLibrary.MaxTemplateBytes + 1));

        var ex = Assert.Throws<PromptException>(() => PromptLibrary.Load(dir.Path, dir.Path));

        Assert.That(ex!.Message, Does.Contain("the limit is 262144"));
    }

    [TestCase("../etc/passwd")]
    [TestCase("Worker")]
    [TestCase("worker.md")]
    [TestCase("")]
    [TestCase("reviewer")]
    public void Only_known_roles_select_a_template(string role)
    {
        var library = PromptLibrary.Embedded();

        var ex = Assert.Throws<ArgumentException>(() => library.Get(role));

        Assert.That(ex!.Message, Does.StartWith($"'{role}' is not a prompt role; use worker, planner, spawn, handoff"));
    }
}
