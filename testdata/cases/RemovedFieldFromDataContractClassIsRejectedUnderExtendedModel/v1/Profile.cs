using System.Runtime.Serialization;

namespace Cases;

[DataContract]
public class Profile
{
    [DataMember] private string _name = "";
    [DataMember] private int _visits;

    public void Visit(string name)
    {
        _name = name;
        _visits++;
    }

    public string Name => _name;
}
