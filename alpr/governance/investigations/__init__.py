"""What detectives open the product for: canvass around a scene, partial and fuzzy plate
search, plate history, common plates across scenes and convoys — each through the gateway."""
