using Aetherflow.Engine.Opencode.Events;

namespace Aetherflow.Engine.Tests.Opencode.Events;

public sealed class FingerprintWindowTests
{
    [Test]
    public void A_fingerprint_is_added_once()
    {
        var window = new FingerprintWindow(10);

        Assert.Multiple(() =>
        {
            Assert.That(window.TryAdd(42), Is.True);
            Assert.That(window.TryAdd(42), Is.False);
            Assert.That(window.TryAdd(0), Is.True, "zero is a fingerprint like any other");
            Assert.That(window.TryAdd(0), Is.False);
            Assert.That(window.Count, Is.EqualTo(2));
        });
    }

    [Test]
    public void The_oldest_fingerprints_are_forgotten_first()
    {
        var window = new FingerprintWindow(3);
        foreach (ulong fingerprint in new ulong[] { 1, 2, 3, 4 })
        {
            Assert.That(window.TryAdd(fingerprint), Is.True);
        }

        Assert.Multiple(() =>
        {
            Assert.That(window.Count, Is.EqualTo(3));
            Assert.That(window.Contains(1), Is.False, "the oldest went first");
            Assert.That(window.Contains(2) && window.Contains(3) && window.Contains(4), Is.True);
            Assert.That(window.TryAdd(1), Is.True, "a forgotten fingerprint is new again");
            Assert.That(window.Contains(2), Is.False);
        });
    }

    [Test]
    public void Colliding_slots_stay_findable_as_entries_are_forgotten_and_the_table_grows()
    {
        // Fingerprints that share their low bits land in one run of the table, wrapping around its end: removing from
        // the middle of such runs is where open addressing goes wrong. Checked against a plain set and queue.
        var window = new FingerprintWindow(500);
        var expected = new HashSet<ulong>();
        var order = new Queue<ulong>();
        var random = new Random(11);
        for (int i = 0; i < 20_000; i++)
        {
            ulong fingerprint = random.Next(4) switch
            {
                0 => ((ulong)random.Next(1000) << 32) | 63,
                1 => ((ulong)random.Next(1000) << 32) | 0,
                2 => (ulong)random.Next(3000),
                _ => (ulong)random.NextInt64(),
            };
            bool isNew = expected.Add(fingerprint);
            Assert.That(window.TryAdd(fingerprint), Is.EqualTo(isNew), $"add #{i}");
            if (isNew)
            {
                order.Enqueue(fingerprint);
                if (order.Count > 500)
                {
                    expected.Remove(order.Dequeue());
                }
            }
        }

        Assert.That(window.Count, Is.EqualTo(expected.Count));
        Assert.That(expected.All(window.Contains), Is.True, "every kept fingerprint is found");
        Assert.That(order.Take(10).All(window.Contains), Is.True);
    }
}
