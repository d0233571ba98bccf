// The same state ("profile") as three deployed versions of an application would declare it.
namespace TypedSessions.Generator.Tests.States.V1
{
    [SessionState("profile")]
    public partial record Profile(string Name = "", int Age = 0, string City = "");
}

namespace TypedSessions.Generator.Tests.States.V2
{
    // Age removed, City moved before Name, Email added.
    [SessionState("profile")]
    public partial record Profile(string City = "", string Name = "", string Email = "none@example.com");
}

namespace TypedSessions.Generator.Tests.States.V3
{
    // Name's type changed incompatibly.
    [SessionState("profile")]
    public partial record Profile(int Name = 0);
}

namespace TypedSessions.Generator.Tests.States
{
    /// <summary>A state whose type refers to itself: bounded by the format's depth limit.</summary>
    [SessionState("chain")]
    public partial record Chain(string Value = "", Chain? Next = null);

    [SessionState("other")]
    public partial record Other(string Name = "");
}
