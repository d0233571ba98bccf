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

// One change each against V1, for the evolution table (SchemaEvolutionTests).
namespace TypedSessions.Generator.Tests.States.Added
{
    [SessionState("profile")]
    public partial record Profile(string Name = "", int Age = 0, string City = "", string Email = "none@example.com");
}

namespace TypedSessions.Generator.Tests.States.Removed
{
    [SessionState("profile")]
    public partial record Profile(string Name = "", string City = "");
}

namespace TypedSessions.Generator.Tests.States.Reordered
{
    [SessionState("profile")]
    public partial record Profile(string City = "", int Age = 0, string Name = "");
}

namespace TypedSessions.Generator.Tests.States.RenamedKept
{
    [SessionState("profile")]
    public partial record Profile(string Name = "", int Age = 0, [FormerName("City")] string Town = "");
}

namespace TypedSessions.Generator.Tests.States.RenamedLost
{
    [SessionState("profile")]
    public partial record Profile(string Name = "", int Age = 0, string Town = "");
}

namespace TypedSessions.Generator.Tests.States.Widened
{
    [SessionState("profile")]
    public partial record Profile(string Name = "", long Age = 0, string City = "");
}

namespace TypedSessions.Generator.Tests.States.Narrowed
{
    [SessionState("profile")]
    public partial record Profile(string Name = "", short Age = 0, string City = "");
}

namespace TypedSessions.Generator.Tests.States.RenamedProperty
{
    // A nominal member renamed twice: both earlier names are read.
    [SessionState("profile")]
    public partial class Profile
    {
        public string Name { get; init; } = "";

        [FormerName("City")]
        [FormerName("Town")]
        public string Place { get; init; } = "";
    }
}
