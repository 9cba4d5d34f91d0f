using Aetherflow.Engine.Text;

namespace Aetherflow.Engine.Tests.Text;

public sealed class EditDistanceTests
{
    [TestCase("kitten", "sitting", 3)]
    [TestCase("", "abc", 3)]
    [TestCase("same", "same", 0)]
    public void Counts_edits(string a, string b, int expected) => Assert.That(EditDistance.Between(a, b), Is.EqualTo(expected));

    [Test]
    public void Suggests_only_plausible_typos()
    {
        string[] keys = ["poll_interval", "pool_size", "solo"];
        Assert.Multiple(() =>
        {
            Assert.That(EditDistance.Nearest("pol_interval", keys), Is.EqualTo("poll_interval"));
            Assert.That(EditDistance.Nearest("POOL_SIZE", keys), Is.EqualTo("pool_size"));
            Assert.That(EditDistance.Nearest("bananas", keys), Is.Null);
        });
    }
}
