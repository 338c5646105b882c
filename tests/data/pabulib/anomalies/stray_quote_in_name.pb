META
key;value
description;a stray quote inside an unquoted project name
num_projects;3
num_votes;2
budget;100
vote_type;approval
rule;greedy
PROJECTS
project_id;cost;votes;name;selected
a;60;2;Park "Zielony;1
b;50;1;"Odkupmy" i my;0
c;10;0;"Kosze";0
VOTES
voter_id;vote;age
1;a,b;30
2;a;41
