using System.Collections;

namespace FunctionsCrawler.Sandbox.Catalog;

/// <summary>Songs by id, each made when read: millions of them cost only their ids.</summary>
internal sealed class SongList(SandboxCatalog catalog, List<long> ids) : IReadOnlyList<SandboxSong>
{
    public SandboxSong this[int index] => catalog.Song(ids[index]);

    public int Count => ids.Count;

    public IEnumerator<SandboxSong> GetEnumerator() => ids.Select(catalog.Song).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
