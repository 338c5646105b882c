META
key;value
description;a project name broken over two lines, as in Częstochowa 2020
num_projects;3
num_votes;2
budget;100
vote_type;approval
rule;greedy
PROJECTS
project_id;cost;votes;name;selected
a;60;2;Park na
Grabówce;1
b;50;1;Ławki przy
szkole
nr 12;0
c;10;0;Kosze;0
VOTES
voter_id;vote;age
1;a,b;30
2;a;41
