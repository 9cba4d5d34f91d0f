using Aetherflow.Engine.Tasks;
using Aetherflow.Engine.Tasks.Builtin;

namespace Aetherflow.Engine.Tests.Tasks.Builtin;

public sealed class LearningTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Test]
    public async Task Learnings_are_listed_newest_first_with_their_concepts()
    {
        using var fixture = new StoreFixture();
        string task = await fixture.AddAsync("source");
        string older = await fixture.Store.LearnAsync(new NewLearning { Summary = "Schema uses UUID keys", Concepts = ["Database", "api"], Detail = "UUIDv7 everywhere", TaskId = task }, None);
        fixture.Clock.Advance(TimeSpan.FromMinutes(1));
        string newer = await fixture.Store.LearnAsync(new NewLearning { Summary = "Run tests with --filter", Concepts = ["testing"] }, None);

        IReadOnlyList<Learning> all = await fixture.Store.ListLearningsAsync(null, None);

        Assert.That(older, Does.Match("^lrn-[0-9a-f]{6}$"));
        Assert.That(all.Select(l => l.Id), Is.EqualTo(new[] { newer, older }));
        Assert.That(all[1], Is.EqualTo(all[1] with { Summary = "Schema uses UUID keys", Detail = "UUIDv7 everywhere", TaskId = task }));
        Assert.That(all[1].Concepts, Is.EqualTo(new[] { "api", "database" }));
        Assert.That(all[1].CreatedAt, Is.EqualTo(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero)));
        Assert.That(all[0].Detail, Is.Null);
        Assert.That(all[0].TaskId, Is.Null);
    }

    [Test]
    public async Task Context_for_a_concept_lists_only_its_learnings()
    {
        using var fixture = new StoreFixture();
        await fixture.Store.LearnAsync(new NewLearning { Summary = "a", Concepts = ["api"] }, None);
        await fixture.Store.LearnAsync(new NewLearning { Summary = "b", Concepts = ["git", "api"] }, None);
        await fixture.Store.LearnAsync(new NewLearning { Summary = "c", Concepts = ["git"] }, None);

        IReadOnlyList<Learning> git = await fixture.Store.ListLearningsAsync("GIT", None);

        Assert.That(git.Select(l => l.Summary), Is.EqualTo(new[] { "c", "b" }));
        Assert.That(git[1].Concepts, Is.EqualTo(new[] { "api", "git" }), "the other concepts are still listed");
        Assert.That(await fixture.Store.ListLearningsAsync("none-such", None), Is.Empty);
    }

    [Test]
    public void A_learning_needs_a_summary_and_a_valid_concept()
    {
        using var fixture = new StoreFixture();

        Assert.That(async () => await fixture.Store.LearnAsync(new NewLearning { Summary = " ", Concepts = ["x"] }, None), Throws.TypeOf<InvalidTaskInputException>());
        Assert.That(
            async () => await fixture.Store.LearnAsync(new NewLearning { Summary = "s", Concepts = [] }, None),
            Throws.TypeOf<InvalidTaskInputException>().With.Message.EqualTo("a learning needs at least one concept (--concept <name>)"));
        Assert.That(
            async () => await fixture.Store.LearnAsync(new NewLearning { Summary = "s", Concepts = ["two words"] }, None),
            Throws.TypeOf<InvalidTaskInputException>().With.Message.StartsWith("concept 'two words' is not valid"));
    }

    [Test]
    public void A_learning_linked_to_an_unknown_task_is_refused()
    {
        using var fixture = new StoreFixture();

        Assert.That(
            async () => await fixture.Store.LearnAsync(new NewLearning { Summary = "s", Concepts = ["x"], TaskId = "ts-000000" }, None),
            Throws.TypeOf<TaskNotFoundException>());
    }
}
