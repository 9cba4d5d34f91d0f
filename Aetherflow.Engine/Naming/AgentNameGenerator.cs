namespace Aetherflow.Engine.Naming;

/// <summary>
/// Memorable agent names like <c>ghost_wolf</c>, unique among the names in use, and spawn ids like
/// <c>spawn-ghost_wolf-3fa9c2</c>. Names are released when an agent is gone so the space never runs out.
/// </summary>
public sealed class AgentNameGenerator
{
    private static readonly string[] Adjectives =
    [
        "amber", "arctic", "astral", "azure", "bold", "brave", "brisk", "bronze", "calm", "cedar", "clever", "cobalt",
        "cosmic", "crimson", "crisp", "curious", "dapper", "daring", "dusky", "eager", "early", "electric", "ember",
        "fabled", "fearless", "fleet", "frosty", "gentle", "ghost", "gilded", "glacial", "golden", "granite", "hardy",
        "hidden", "hollow", "humble", "icy", "indigo", "iron", "jade", "jolly", "keen", "kind", "lively", "lucid",
        "lunar", "mellow", "merry", "mighty", "misty", "mossy", "neon", "nimble", "noble", "nova", "obsidian", "onyx",
        "opal", "patient", "plucky", "polar", "proud", "quick", "quiet", "radiant", "rapid", "rustic", "sable", "scarlet",
        "serene", "shadow", "sharp", "silent", "silver", "sleek", "snowy", "solar", "sonic", "spry", "steady", "stellar",
        "stoic", "stormy", "sunny", "swift", "tidal", "tranquil", "ultra", "valiant", "velvet", "vivid", "wandering",
        "wild", "wise", "witty", "zealous", "zen",
    ];

    private static readonly string[] Nouns =
    [
        "badger", "bear", "beacon", "bison", "bobcat", "canyon", "cipher", "comet", "condor", "cougar", "coyote",
        "daemon", "delta", "dingo", "dolphin", "dragon", "eagle", "ember", "falcon", "ferret", "finch", "fjord", "fox",
        "gecko", "geyser", "glacier", "gopher", "harbor", "hawk", "heron", "ibis", "jackal", "jaguar", "kernel",
        "kestrel", "koala", "lark", "lemur", "lynx", "magpie", "mantis", "marten", "meadow", "meteor", "mink", "moose",
        "nebula", "newt", "ocelot", "orca", "osprey", "otter", "owl", "panda", "panther", "pebble", "pelican", "petrel",
        "phoenix", "pike", "piston", "pixel", "prism", "puffin", "quasar", "quokka", "raven", "reef", "river", "robin",
        "rover", "sable", "salmon", "sparrow", "sphinx", "spruce", "stoat", "summit", "swift", "tapir", "tern", "thrush",
        "tiger", "toucan", "tundra", "vector", "viper", "vole", "walrus", "willow", "wolf", "wombat", "wren", "yak",
        "zebra",
    ];

    private readonly HashSet<string> inUse = new(StringComparer.Ordinal);
    private readonly Random random;
    private readonly Lock gate = new();

    /// <param name="random">The randomness source; pass a seeded one for repeatable tests.</param>
    public AgentNameGenerator(Random? random = null)
    {
        this.random = random ?? new Random();
    }

    /// <summary>How many distinct names exist.</summary>
    public static int Combinations => Adjectives.Length * Nouns.Length;

    /// <summary>Returns a name not currently in use and marks it used.</summary>
    public string Next()
    {
        lock (gate)
        {
            for (int attempt = 0; attempt < 1000; attempt++)
            {
                string name = $"{Adjectives[random.Next(Adjectives.Length)]}_{Nouns[random.Next(Nouns.Length)]}";
                if (inUse.Add(name))
                {
                    return name;
                }
            }

            // Nearly every name is taken: number them rather than fail.
            for (int suffix = 2; ; suffix++)
            {
                string name = $"{Adjectives[random.Next(Adjectives.Length)]}_{Nouns[random.Next(Nouns.Length)]}_{suffix}";
                if (inUse.Add(name))
                {
                    return name;
                }
            }
        }
    }

    /// <summary>
    /// The spawn id of an agent named <paramref name="name"/>: <c>spawn-&lt;name&gt;-&lt;6 hex digits&gt;</c>. The random
    /// suffix (24 bits) keeps ids unique over time even when names are reused.
    /// </summary>
    public string SpawnIdFor(string name)
    {
        lock (gate)
        {
            return $"spawn-{name}-{random.Next(1 << 24):x6}";
        }
    }

    /// <summary>Marks a name as in use (an agent adopted after a restart keeps its name).</summary>
    public bool Reserve(string name)
    {
        lock (gate)
        {
            return inUse.Add(name);
        }
    }

    /// <summary>Frees a name for reuse.</summary>
    public void Release(string name)
    {
        lock (gate)
        {
            inUse.Remove(name);
        }
    }

    /// <summary>True while <paramref name="name"/> is taken.</summary>
    public bool IsInUse(string name)
    {
        lock (gate)
        {
            return inUse.Contains(name);
        }
    }
}
