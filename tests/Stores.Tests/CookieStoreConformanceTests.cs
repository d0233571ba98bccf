namespace TypedSessions.Stores.Tests;

/// <summary>The conformance suite against the cookie store, through a simulated browser.</summary>
public sealed class CookieStoreConformanceTests : StoreConformanceTests
{
    protected override Task<ISessionStore> CreateStoreAsync() =>
        Task.FromResult<ISessionStore>(new BrowserCookieStore(Own(CookieStores.CreateServices(Clock))));
}
