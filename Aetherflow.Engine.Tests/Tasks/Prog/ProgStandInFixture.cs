using Aetherflow.Engine.Tests.Support;

namespace Aetherflow.Engine.Tests.Tasks.Prog;

/// <summary>A fresh home with an initialised prog stand-in for every test.</summary>
public abstract class ProgStandInFixture
{
    /// <summary>The isolated home the stand-in's database lives in.</summary>
    protected TestHome Home { get; private set; } = null!;

    protected ProgStandIn Prog { get; private set; } = null!;

    [SetUp]
    public async Task SetUpProgAsync()
    {
        Home = new TestHome();
        Prog = new ProgStandIn(Home);
        await Prog.InitAsync();
    }

    [TearDown]
    public void TearDownProg() => Home.Dispose();
}
