"""Django's template engine without the work it redoes at every render of a compiled template.

`{% extends %}` (ExtendsNode.render) walks the root parent's whole tree at each render to
find its `{% block %}`s (every tag, each `{% if %}`'s branches rebuilt as a list): base.html
and its header cost ~70 get_nodes_by_type calls per page, ~10 % of a logged-in page's
template time. A compiled template never changes once parsed, so its {name: BlockNode} is
found once and kept on the Template object itself: a template compiled anew (the cached
loader reset under runserver, no cached loader in DEBUG, `Template(...)` in a test) is a new
object, found anew. Everything else is Django's ExtendsNode.render, installed by
PermisConfig.ready() for the Django version it was copied from (tests/permis/test_gabarits.py
fails on another: compare with its ExtendsNode.render and BlockNode.render, then update
VERSION_DJANGO).

`{% block %}` (BlockNode.render), ten to sixteen per page, pushes a ContextDict through
Context.push() and builds its render's copy of the block through BlockNode.__init__: the same
done with a plain dict and the copy's four attributes set at once, ~1.5 µs less a block.

`langue_du_rendu(context)`: get_language() read once per template render rather than by each
kept fragment's key (it reads asgiref's Local, ~2.5 µs a read, six to nine figes a page);
`{% language %}`, the one tag that changes the language within a render, forgets it for its
body and after.
"""

import django
from django.template.base import Template, TextNode
from django.template.loader_tags import BLOCK_CONTEXT_KEY, BlockContext, BlockNode, ExtendsNode
from django.templatetags.i18n import LanguageNode
from django.utils.translation import get_language

VERSION_DJANGO = (5, 2)  # the ExtendsNode.render copied below
_rendu_de_django = ExtendsNode.render
_bloc_de_django = BlockNode.render
_langue_de_django = LanguageNode.render
_LANGUE = "permis.gabarits.langue"  # in the render context's state: the language read
_installe = False


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


def _rendre_bloc(self, context):
    block_context = context.render_context.get(BLOCK_CONTEXT_KEY)
    if block_context is None:  # a {% block %} in a template that extends none
        return _bloc_de_django(self, context)
    push = block = block_context.pop(self.name)
    if block is None:
        block = self
    # Django's new block per render (the context {{ block.super }} reads), without its __init__.
    copie = object.__new__(type(self))
    copie.__dict__.update(name=block.name, nodelist=block.nodelist, parent=None, context=context)
    context.dicts.append({"block": copie})  # Context.push()'s layer, popped as its __exit__ does
    try:
        result = copie.nodelist.render(context)
        if push is not None:
            block_context.push(self.name, push)
    finally:
        context.pop()
    return result


def langue_du_rendu(context) -> str:
    """get_language() or "", as read first in this template's render."""
    if not _installe:  # {% language %} left as Django's: read it each time
        return get_language() or ""
    etat = context.render_context.dicts[-1]
    try:
        return etat[_LANGUE]
    except KeyError:
        langue = etat[_LANGUE] = get_language() or ""
        return langue


def _rendre_langue(self, context):
    etat = context.render_context.dicts[-1]
    avant = etat.pop(_LANGUE, None)
    try:
        return _langue_de_django(self, context)
    finally:
        etat.pop(_LANGUE, None)  # the body's language, read inside it
        if avant is not None:
            etat[_LANGUE] = avant


def installer() -> bool:
    """Put the kept blocks in Django's ExtendsNode, the lighter BlockNode.render and the language
    read once per render, if Django is the version they were written against; says whether it
    did."""
    if django.VERSION[:2] != VERSION_DJANGO:
        return False
    global _installe
    ExtendsNode.render = _rendre
    BlockNode.render = _rendre_bloc
    LanguageNode.render = _rendre_langue
    _installe = True
    return True
