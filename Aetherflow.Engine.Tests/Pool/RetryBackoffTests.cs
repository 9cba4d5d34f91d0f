using Aetherflow.Engine.Pool;

namespace Aetherflow.Engine.Tests.Pool;

public sealed class RetryBackoffTests
{
    [Test]
    public void Ceilings_double_up_to_the_maximum()
    {
        var backoff = new RetryBackoff(TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(30), new Random(1));

        Assert.That(Enumerable.Range(1, 5).Select(backoff.Ceiling), Is.EqualTo(new[] { 5, 10, 20, 30, 30 }.Select(s => TimeSpan.FromSeconds(s))));
    }

    [Test]
    public void Delays_are_jittered_between_half_and_all_of_the_ceiling()
    {
        var backoff = new RetryBackoff(TimeSpan.FromSeconds(8), TimeSpan.FromMinutes(5), new Random(9));

        var delays = Enumerable.Range(0, 200).Select(_ => backoff.Delay(2)).ToList();

        Assert.That(delays, Has.All.InRange(TimeSpan.FromSeconds(8), TimeSpan.FromSeconds(16)));
        Assert.That(delays.Distinct().Count(), Is.GreaterThan(100), "jitter spreads respawns out");
    }

    [Test]
    public void A_huge_attempt_number_does_not_overflow()
    {
        var backoff = new RetryBackoff(TimeSpan.FromSeconds(5), TimeSpan.FromMinutes(5), new Random(1));

        Assert.That(backoff.Ceiling(10_000), Is.EqualTo(TimeSpan.FromMinutes(5)));
    }
}
