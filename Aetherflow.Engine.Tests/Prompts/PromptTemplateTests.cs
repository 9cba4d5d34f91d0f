using Aetherflow.Engine.Prompts;

namespace Aetherflow.Engine.Tests.Prompts;

public sealed class PromptTemplateTests
{
    private static readonly Dictionary<string, string> Values = new()
    {
        ["task_id"] = "ts-1",
        ["title"] = "Fix {{task_id}} and {{nothing}}",
    };

    [Test]
    public void Variables_are_replaced_and_extra_values_are_ignored()
    {
        var template = PromptTemplate.Parse("t.md", "Task: {{task_id}}\nAgain {{task_id}}.");

        string text = template.Render(new Dictionary<string, string>(Values) { ["unused"] = "x" });

        Assert.That(text, Is.EqualTo("Task: ts-1\nAgain ts-1."));
        Assert.That(template.Variables, Is.EqualTo(new[] { "task_id" }));
    }

    [Test]
    public void Values_are_inserted_literally_and_never_expanded_again()
    {
        var template = PromptTemplate.Parse("t.md", "{{title}} / {{task_id}}");

        string text = template.Render(Values);

        Assert.That(text, Is.EqualTo("Fix {{task_id}} and {{nothing}} / ts-1"));
    }

    [Test]
    public void A_variable_without_a_value_is_an_error_naming_it_and_the_template()
    {
        var template = PromptTemplate.Parse("/tmp/prompts/worker.md", "{{task_id}} {{land_steps}}");

        var ex = Assert.Throws<PromptException>(() => template.Render(Values));

        Assert.That(ex!.Message, Does.StartWith("/tmp/prompts/worker.md uses {{land_steps}}, which has no value"));
        Assert.That(ex.Message, Does.Contain("task_id, title"));
        Assert.That(ex.Message, Does.Not.Contain('\n'));
    }

    [TestCase("a\n{{ task_id }}", 2)]
    [TestCase("{{Task}}", 1)]
    [TestCase("x\ny\n{{unclosed", 3)]
    [TestCase("${{ github.sha }}", 1)]
    [TestCase("{{{task_id}}}", 1)]
    public void Anything_else_after_double_braces_is_refused_when_parsed(string text, int line)
    {
        var ex = Assert.Throws<PromptException>(() => PromptTemplate.Parse("custom.md", text));

        Assert.That(ex!.Message, Does.StartWith($"custom.md line {line}: "));
        Assert.That(ex.Message, Does.Contain("is not a variable"));
    }

    [Test]
    public void Text_without_variables_renders_unchanged_even_with_closing_braces()
    {
        const string text = "no variables here }} { } {x}";

        Assert.That(PromptTemplate.Parse("t.md", text).Render(new Dictionary<string, string>()), Is.EqualTo(text));
    }

    [Test]
    public void Variables_are_listed_once_in_order_of_first_use()
    {
        var template = PromptTemplate.Parse("t.md", "{{b}}{{a}}{{b}}{{c_1}}");

        Assert.That(template.Variables, Is.EqualTo(new[] { "b", "a", "c_1" }));
    }
}
