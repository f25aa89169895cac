namespace FunctionsCrawler.Sandbox.Catalog;

/// <summary>What a playlist id was minted for; it is encoded in the id itself.</summary>
internal enum PlaylistOrigin
{
    Ordinary = 0,
    ForeignHostCover = 1,
    NotAnImageCover = 2,
    HostileText = 3,
}
