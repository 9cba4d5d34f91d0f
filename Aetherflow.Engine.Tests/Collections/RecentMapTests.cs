using Aetherflow.Engine.Collections;

namespace Aetherflow.Engine.Tests.Collections;

public sealed class RecentMapTests
{
    [Test]
    public void Keys_keep_the_order_they_were_first_set_in_and_an_update_keeps_its_place()
    {
        var map = new RecentMap<string>(5);
        map.Set("prt_1", "pending");
        map.Set("prt_2", "pending");
        map.Set("prt_1", "completed");

        Assert.Multiple(() =>
        {
            Assert.That(map.ToArray(), Is.EqualTo(new[] { "completed", "pending" }));
            Assert.That(map.TryGetValue("prt_1", out string? first) ? first : null, Is.EqualTo("completed"));
            Assert.That(map.Count, Is.EqualTo(2));
        });
    }

    [Test]
    public void Beyond_the_bound_the_oldest_key_goes_and_is_forgotten()
    {
        var map = new RecentMap<int>(3);
        for (int i = 1; i <= 7; i++)
        {
            map.Set($"prt_{i}", i);
        }

        map.Set("prt_6", 60);
        map.Set("prt_1", 10);

        Assert.Multiple(() =>
        {
            Assert.That(map.ToArray(), Is.EqualTo(new[] { 60, 7, 10 }), "a key set again after it was forgotten is the newest");
            Assert.That(map.Count, Is.EqualTo(3));
            Assert.That(map.TryGetValue("prt_5", out _), Is.False);
        });
    }

    [Test]
    public void Growing_up_to_the_bound_keeps_every_value_in_place_and_order()
    {
        // The ring starts small and doubles: entries set before a growth must still be found, in order, and updatable.
        var map = new RecentMap<int>(100);
        for (int i = 0; i < 100; i++)
        {
            map.Set($"k{i}", i);
        }

        map.Set("k3", 300);
        map.Set("k100", 100);

        Assert.Multiple(() =>
        {
            Assert.That(map.ToArray(), Is.EqualTo(Enumerable.Range(1, 100).Select(i => i == 3 ? 300 : i)));
            Assert.That(map.TryGetValue("k0", out _), Is.False, "the oldest went when the bound was passed");
            Assert.That(map.TryGetValue("k50", out int middle) ? middle : -1, Is.EqualTo(50));
        });
    }

    [Test]
    public void Against_an_ordered_dictionary_trimmed_from_the_front_every_step_agrees()
    {
        // The reference: what the tracker, the assistant text and the log formatter each did by hand before.
        var map = new RecentMap<int>(7);
        var reference = new OrderedDictionary<string, int>(StringComparer.Ordinal);
        var random = new Random(8);
        for (int step = 0; step < 2000; step++)
        {
            string key = $"k{random.Next(20)}";
            map.Set(key, step);
            reference[key] = step;
            if (reference.Count > 7)
            {
                reference.RemoveAt(0);
            }

            Assert.That(map.ToArray(), Is.EqualTo(reference.Values.ToArray()), $"step {step}");
        }
    }
}
