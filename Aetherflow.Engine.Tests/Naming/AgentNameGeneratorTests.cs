using Aetherflow.Engine.Naming;
using Aetherflow.Engine.Text;

namespace Aetherflow.Engine.Tests.Naming;

public sealed class AgentNameGeneratorTests
{
    [Test]
    public void Names_are_adjective_underscore_noun_and_valid_ids()
    {
        var names = new AgentNameGenerator(new Random(1));

        string name = names.Next();

        Assert.That(name, Does.Match("^[a-z]+_[a-z]+$"));
        Assert.That(Identifiers.IsTaskId(name), Is.True);
        Assert.That(AgentNameGenerator.Combinations, Is.GreaterThan(9000));
    }

    [Test]
    public void Names_in_use_are_never_handed_out_twice()
    {
        var names = new AgentNameGenerator(new Random(2));

        var taken = Enumerable.Range(0, 2000).Select(_ => names.Next()).ToList();

        Assert.That(taken.Distinct().Count(), Is.EqualTo(2000));
    }

    [Test]
    public void A_released_name_can_be_used_again_and_reserve_refuses_a_taken_one()
    {
        var names = new AgentNameGenerator(new Random(3));
        string name = names.Next();

        Assert.That(names.Reserve(name), Is.False);
        names.Release(name);
        Assert.That(names.IsInUse(name), Is.False);
        Assert.That(names.Reserve(name), Is.True);
    }

    [Test]
    public void When_nearly_every_name_is_taken_numbered_names_keep_coming()
    {
        var names = new AgentNameGenerator(new Random(4));

        var taken = Enumerable.Range(0, AgentNameGenerator.Combinations + 50).Select(_ => names.Next()).ToList();

        Assert.That(taken.Distinct().Count(), Is.EqualTo(taken.Count));
    }

    [Test]
    public void Spawn_ids_carry_the_name_and_24_random_bits()
    {
        var names = new AgentNameGenerator(new Random(5));

        string id = names.SpawnIdFor("ghost_wolf");

        Assert.That(id, Does.Match("^spawn-ghost_wolf-[0-9a-f]{6}$"));
        Assert.That(Identifiers.IsTaskId(id), Is.True);
    }
}
