"""Django's template engine without the work it redoes at every render of a compiled template.

`{% extends %}` (ExtendsNode.render) walks the root parent's whole tree at each render to
find its `{% block %}`s (every tag, each `{% if %}`'s branches rebuilt as a list): base.html
and its header cost ~70 get_nodes_by_type calls per page, ~10 % of a logged-in page's
template time. A compiled template never changes once parsed, so its {name: BlockNode} is
found once and kept on the Template object itself: a template compiled anew (the cached
loader reset under runserver, no cached loader in DEBUG, `Template(...)` in a test) is a new
object, found anew. Everything else is Django's ExtendsNode.render, installed by
PermisConfig.ready() for the Django version it was copied from (tests/permis/test_gabarits.py
fails on another: compare with its ExtendsNode.render, then update VERSION_DJANGO).
"""

import django
from django.template.base import Template, TextNode
from django.template.loader_tags import BLOCK_CONTEXT_KEY, BlockContext, BlockNode, ExtendsNode

VERSION_DJANGO = (5, 2)  # the ExtendsNode.render copied below
_rendu_de_django = ExtendsNode.render


def blocs_de_la_racine(gabarit: Template) -> dict | None:
    """The blocks of `gabarit` when it is the root of its chain (no `{% extends %}`), else None:
    what ExtendsNode.render adds to the block context after the child's own."""
    try:
        return gabarit._blocs_de_la_racine
    except AttributeError:
        pass
    blocs = None
    for noeud in gabarit.nodelist:
        # The ExtendsNode has to be the first non-text node (as Django's loop).
        if not isinstance(noeud, TextNode):
            if not isinstance(noeud, ExtendsNode):
                blocs = {n.name: n for n in gabarit.nodelist.get_nodes_by_type(BlockNode)}
            break
    gabarit._blocs_de_la_racine = blocs
    return blocs


def _rendre(self, context):
    compiled_parent = self.get_parent(context)

    if BLOCK_CONTEXT_KEY not in context.render_context:
        context.render_context[BLOCK_CONTEXT_KEY] = BlockContext()
    block_context = context.render_context[BLOCK_CONTEXT_KEY]

    # Add the block nodes from this node to the block context
    block_context.add_blocks(self.blocks)

    # If this block's parent doesn't have an extends node it is the root,
    # and its block nodes also need to be added to the block context.
    blocs = blocs_de_la_racine(compiled_parent)
    if blocs is not None:
        block_context.add_blocks(blocs)

    # Call Template._render explicitly so the parser context stays
    # the same.
    with context.render_context.push_state(compiled_parent, isolated_context=False):
        return compiled_parent._render(context)


def installer() -> bool:
    """Put the kept blocks in Django's ExtendsNode, if Django is the version they were written
    against; says whether it did."""
    if django.VERSION[:2] != VERSION_DJANGO:
        return False
    ExtendsNode.render = _rendre
    return True
